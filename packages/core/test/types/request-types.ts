// Compile-time checks of the request types, run by `pnpm typecheck` (tsconfig.check.json includes test/).
// Each @ts-expect-error fails the typecheck if the line it marks ever becomes valid.
import type { BalanceRequest, SendRequest, StatusRequest } from "../../src/generated/index.js";

export const flags: SendRequest = {
  phones: ["+79990000001"],
  mes: "x",
  flash: true,
  err: false,
  translit: 1,
};
export const list: SendRequest = { phones: "79990000001", mes: "x", list: [{ phones: ["7999"], mes: "hi" }] };
export const status: StatusRequest = { phone: "79990000001", id: 42, all: 2 };
export const balance: BalanceRequest = {};

// @ts-expect-error mes is text, not a switch
export const mesFlag: SendRequest = { phones: "1", mes: true };
// @ts-expect-error translit has three values (0, 1, 2), so it is not a boolean switch
export const translitFlag: SendRequest = { phones: "1", mes: "x", translit: true };
// @ts-expect-error phones is required
export const noPhones: SendRequest = { mes: "x" };
// @ts-expect-error status takes no message text
export const statusMes: StatusRequest = { phone: "1", id: "1", mes: "x" };
