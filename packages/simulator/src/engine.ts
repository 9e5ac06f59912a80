import { createHash } from "node:crypto";
import type { Account, AccountRegistry } from "./accounts.js";
import { catalogAnswer } from "./catalog-answer.js";
import type { SimClock } from "./clock.js";
import type { Counters } from "./counters.js";
import { authError, ERRORS } from "./error-codes.js";
import type { Lifecycle } from "./lifecycle.js";
import { LIFECYCLE } from "./lifecycle-statuses.js";
import type { MessageStore, SimMessage } from "./messages.js";
import type { PhoneRule } from "./phone-rules.js";
import { planRecipients } from "./pricing.js";
import {
  messageKindOf,
  methodOf,
  type OperationName,
  parseValidity,
  recipientKey,
  resolveSendTime,
  type SmscMethod,
  SmscValidationError,
  type ValidationIssue,
  validateRequest,
} from "./protocol.js";
import type { ConcurrencyTicket, RateRules } from "./rate-rules.js";
import { refusalStatus } from "./refusal-statuses.js";
import { RequestError } from "./request-error.js";
import { type Fields, fingerprint, mergeFields, money } from "./request-fields.js";
import { type ResultFields, statusResult } from "./status-result.js";

export type { ResultFields } from "./status-result.js";

export interface EngineResult {
  /** The fields of the `*result` element. */
  result: ResultFields;
  /** The in-band error code, when the answer is an error. */
  error?: number;
  /** Login the request authenticated as (for logs), never the password. */
  login?: string;
}

export interface EngineDeps {
  clock: SimClock;
  accounts: AccountRegistry;
  store: MessageStore;
  rates: RateRules;
  lifecycle: Lifecycle;
  counters: Counters;
  phoneRules: () => readonly PhoneRule[];
}

/** A request's place in its login's in-flight count. */
export interface EngineTicket extends ConcurrencyTicket {
  /** The account the credentials name, if any. */
  login?: string;
}

/** Operator and region of a recipient that never reached an operator. */
const NO_ROUTE = { operator: "", region: "" };

/** A stored message for one recipient of an accepted request, waiting to be sent. */
function newMessage(
  base: Pick<SimMessage, "login" | "id" | "kind" | "type" | "createdAt">,
  recipient: {
    phone: string;
    mes: string;
    sender: string;
    parts: number;
    outcome: { operator: string; region: string };
  },
  timing: Pick<SimMessage, "cost" | "sendAt" | "expiresAt" | "refused">,
): SimMessage {
  // Written out field by field (no spreads): a big send builds hundreds of these per request.
  return {
    login: base.login,
    id: base.id,
    phone: recipient.phone,
    mes: recipient.mes,
    sender: recipient.sender,
    kind: base.kind,
    type: base.type,
    parts: recipient.parts,
    cost: timing.cost,
    createdAt: base.createdAt,
    sendAt: timing.sendAt,
    expiresAt: timing.expiresAt,
    status: LIFECYCLE.waiting,
    err: 0,
    refused: timing.refused,
    lastChangeAt: base.createdAt,
    operator: recipient.outcome.operator,
    region: recipient.outcome.region,
    history: [{ status: LIFECYCLE.waiting, err: 0, at: base.createdAt }],
  };
}

/** A bad recipient in `phones` or in a `list` line's phones (core's rule names), answered with error 7. */
function isRecipientIssue(found: ValidationIssue): boolean {
  const inPhones =
    found.field === "phones" || (found.field === "list" && found.rule.startsWith("line-phones-"));
  return inPhones && found.smscError === ERRORS.badPhone;
}

type Behaviour = (account: Account, fields: Fields, now: number) => ResultFields;

/** The SMSC behaviour behind the seven SOAP operations. Synchronous: one request, one answer. */
export class SimulatorEngine {
  constructor(private readonly deps: EngineDeps) {}

  /** Answers one operation. `ip` feeds the IP-block rules. */
  handle(operation: OperationName, rawFields: Fields, ip: string): EngineResult {
    const method = methodOf(operation);
    const now = this.deps.clock.now();
    let login: string | undefined;
    try {
      const fields = mergeFields(operation, rawFields);
      const account = this.authenticate(method, fields, ip, now);
      login = account.login;
      const result = this.dispatch(operation, account, fields, now);
      this.deps.rates.sendOutcome(method, ip, false, now);
      return { result, login };
    } catch (error) {
      if (!(error instanceof RequestError)) throw error;
      // Auth failures and blocks have their own rule; every other refused request counts as "erroneous"
      // (the catalog's consecutive-errors rules say which methods they watch).
      if (error.code !== authError(method) && error.code !== ERRORS.ipBlocked) {
        this.deps.rates.sendOutcome(method, ip, true, now);
      }
      return this.errorResult(error.code, login);
    }
  }

  errorResult(code: number, login?: string): EngineResult {
    this.deps.counters.error(code, login);
    const out: EngineResult = { result: { error: String(code) }, error: code };
    if (login !== undefined) out.login = login;
    return out;
  }

  /**
   * Concurrency accounting for the "simultaneous requests" rules, per login across every connection
   * (SMSC: "from different connections under one login"); release when answered. A request whose
   * credentials name no account is counted under a digest of them, so a password or API key is never
   * kept as a map key.
   */
  enter(operation: OperationName, rawFields: Fields): EngineTicket {
    const method = methodOf(operation);
    const fields = mergeFields(operation, rawFields);
    const account = this.deps.accounts.authenticate({
      login: fields["login"],
      psw: fields["psw"],
      apikey: fields["apikey"],
    });
    if (account === undefined) {
      const who = fields["login"] || fields["apikey"] || fields["psw"] || "";
      return this.deps.rates.enter(method, `?${createHash("sha1").update(who).digest("hex")}`);
    }
    const ticket = this.deps.rates.enter(method, `=${account.login}`);
    this.deps.counters.concurrency(account.login, method, ticket.inFlight);
    return { ...ticket, login: account.login };
  }

  /** The answer to a request refused for being one too many at once (the ticket's error). */
  refuseConcurrent(ticket: EngineTicket & { error: number }): EngineResult {
    if (ticket.login !== undefined) this.deps.counters.refusedConcurrent(ticket.login);
    return this.errorResult(ticket.error, ticket.login);
  }

  private authenticate(method: SmscMethod, fields: Fields, ip: string, now: number): Account {
    const blocked = this.deps.rates.blockedError(ip, now);
    if (blocked !== undefined) throw new RequestError(blocked);
    const account = this.deps.accounts.authenticate({
      login: fields["login"],
      psw: fields["psw"],
      apikey: fields["apikey"],
    });
    if (account === undefined) {
      this.deps.rates.authFailed(method, ip, now);
      throw new RequestError(authError(method));
    }
    return account;
  }

  /**
   * Judges a request as SMSC does (core's lenient mode): a bad value of an option SMSC replaces with
   * its defaults (catalog `onInvalid: defaults`, e.g. `param`) is tolerated, anything else is refused
   * with the catalog's error code for that field.
   */
  private validate(method: SmscMethod, fields: Fields): void {
    const verdict = validateRequest(method, fields, { lenient: true });
    if (verdict.ok) return;
    // With err=1 a recipient in a bad format is set aside by planRecipients, not fatal (docs/protocol.md §2.2).
    const issues = verdict.error.issues;
    const [fatal] = fields["err"] === "1" ? issues.filter((found) => !isRecipientIssue(found)) : issues;
    if (fatal !== undefined) throw new RequestError(fatal.smscError);
  }

  /**
   * The behaviour written for each method; a method of the spec without one (SMSC added it, the catalog
   * describes it) is answered from the catalog by `catalogMethod`.
   */
  private readonly behaviours: Partial<Record<SmscMethod, Behaviour>> = {
    balance: (account, fields, now) => this.balance(account, fields, now),
    status: (account, fields, now) => this.status(account, fields, now),
    cost: (account, fields, now) => this.cost("cost", account, fields, now),
    // A send with cost=1 is a price quote, not a send (docs/protocol.md §2.2, "cost"); it is still judged as
    // a send request, whose options it carries.
    send: (account, fields, now) =>
      fields["cost"] === "1" ? this.cost("send", account, fields, now) : this.send(account, fields, now),
  };

  private dispatch(operation: OperationName, account: Account, fields: Fields, now: number): ResultFields {
    const method = methodOf(operation);
    const behaviour = this.behaviours[method];
    return behaviour !== undefined
      ? behaviour(account, fields, now)
      : this.catalogMethod(operation, account, fields, now);
  }

  /**
   * Validation, the catalog's per-login request rules, then the catalog's example answer of the operation
   * called, with what the simulator knows (the account's balance) filled in.
   */
  private catalogMethod(
    operation: OperationName,
    account: Account,
    fields: Fields,
    now: number,
  ): ResultFields {
    const method = methodOf(operation);
    this.validate(method, fields);
    const limited =
      this.deps.rates.count(method, "requests", account.login, now) ??
      this.deps.rates.count(method, "identical-requests", () => fingerprint(account.login, fields), now);
    if (limited !== undefined) throw new RequestError(limited);
    return catalogAnswer(operation, fields, now, { balance: money(account.balance) });
  }

  private balance(account: Account, fields: Fields, now: number): ResultFields {
    this.validate("balance", fields);
    const limited = this.deps.rates.count("balance", "requests", account.login, now);
    if (limited !== undefined) throw new RequestError(limited);
    // SMSC documents error 0 "There are no errors" for get_balance, so a success carries it.
    return { balance: money(account.balance), error: "0" };
  }

  private status(account: Account, fields: Fields, now: number): ResultFields {
    this.validate("status", fields);
    const id = fields["id"] ?? "";
    const phone = fields["phone"] ?? "";
    // The catalog's status schema takes one id and one phone: SOAP has no mass status request.
    const key = `${account.login}\u0000${id}\u0000${recipientKey(phone)}`;
    const limited = this.deps.rates.count("status", "requests-per-message", key, now);
    if (limited !== undefined) throw new RequestError(limited);
    const message = this.deps.store.find(account.login, id, phone);
    if (message === undefined) throw new RequestError(ERRORS.notFound);
    return statusResult(message, Number(fields["all"] ?? "0"));
  }

  private cost(validateAs: SmscMethod, account: Account, fields: Fields, now: number): ResultFields {
    this.validate(validateAs, fields);
    const { cnt, cost } = planRecipients(fields, messageKindOf(fields), account, this.deps.phoneRules());
    const limited = this.deps.rates.count(
      "cost",
      "identical-requests",
      () => fingerprint(account.login, fields),
      now,
    );
    if (limited !== undefined) throw new RequestError(limited);
    return { cost: money(cost), cnt: String(cnt) };
  }

  /** The message lifetime from `valid` (core's rule; the request was already judged, so this only converts). */
  private lifetime(valid: string | undefined): number {
    try {
      return parseValidity(valid);
    } catch (error) {
      if (error instanceof SmscValidationError) throw new RequestError(error.smscError);
      throw error;
    }
  }

  private send(account: Account, fields: Fields, now: number): ResultFields {
    this.validate("send", fields);
    const kind = messageKindOf(fields);
    const { plan, refused, cnt } = planRecipients(fields, kind, account, this.deps.phoneRules());
    const senders = account.config.senders;
    if (senders !== undefined && plan.some((r) => r.sender !== "" && !senders.includes(r.sender))) {
      throw new RequestError(ERRORS.deniedSender);
    }
    const duplicate = this.deps.rates.count(
      "send",
      "identical-requests",
      () => fingerprint(account.login, fields),
      now,
    );
    if (duplicate !== undefined) throw new RequestError(duplicate);
    let sendAts: number[];
    const time = fields["time"];
    try {
      // Without a time every recipient goes now, whatever its time zone.
      sendAts =
        time === undefined || time === ""
          ? plan.map(() => now)
          : plan.map((r) => Math.max(now, resolveSendTime(time, { tz: r.tz, now: new Date(now) }).getTime()));
    } catch {
      throw new RequestError(ERRORS.badTime);
    }
    const lifetimeMs = this.lifetime(fields["valid"]);
    // One key per recipient (parsing a number is the costly part of a big send), for the flood rule and the store.
    const keys = plan.map((r) => recipientKey(r.phone));
    // The flood rule decides per recipient; forbidden messages are not charged.
    const floods = keys.map((key) => this.deps.rates.floodStatus("send", key, now));
    const charged = plan.reduce((sum, r, i) => (floods[i] === undefined ? sum + r.price : sum), 0);
    if (charged > account.balance + 1e-9) throw new RequestError(ERRORS.funds);
    // Kept in whole kopecks, so a long run of fractional prices never drifts.
    account.balance = Math.round((account.balance - charged) * 100) / 100;
    const id = fields["id"] || String(account.nextId++);
    const errors: Record<string, string>[] = [];
    const base = { login: account.login, id, kind: kind.name, type: kind.type, createdAt: now };
    plan.forEach((r, i) => {
      const flood = floods[i];
      const sendAt = sendAts[i]!;
      const message = newMessage(base, r, {
        cost: flood === undefined ? r.price : 0,
        refused: flood !== undefined,
        sendAt,
        expiresAt: sendAt + lifetimeMs,
      });
      this.deps.store.add(message, keys[i]);
      if (flood !== undefined) {
        this.deps.lifecycle.change(message, flood, 0, now);
        errors.push({ phone: r.phone, status: String(flood) });
      } else {
        this.deps.lifecycle.plan(message, r.outcome);
      }
    });
    // Recipients refused under err=1 are kept with their status, so get_status (id, phone) and the
    // callback tell the same story as the `errors` list; they are not charged.
    for (const r of refused) {
      const status = refusalStatus(r.error);
      const message = newMessage(
        base,
        { ...r, parts: 0, outcome: NO_ROUTE },
        { cost: 0, refused: true, sendAt: now, expiresAt: now },
      );
      this.deps.store.add(message);
      this.deps.lifecycle.change(message, status, 0, now);
      errors.push({ phone: r.phone, status: String(status) });
    }
    const flooded = floods.filter((f) => f !== undefined).length;
    this.deps.counters.send(plan.length - flooded, refused.length + flooded);
    const costMode = Number(fields["cost"] ?? "0");
    const result: ResultFields = { id, cnt: String(cnt) };
    if (costMode >= 2) result["cost"] = money(charged);
    if (costMode >= 3) result["balance"] = money(account.balance);
    if (fields["err"] === "1" && errors.length > 0) result["errors"] = errors;
    return result;
  }
}
