/**
 * Client behaviour on real loopback HTTP: validation before sending, transport outcomes, retries and
 * failover, SOAP faults, and secrets kept out of every error, log line and printout.
 */
import { createServer } from "node:net";
import { inspect } from "node:util";
import { Agent } from "undici";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createSmscClient, defaultFallbacks } from "../src/client.js";
import {
  SmscApiError,
  SmscError,
  SmscSoapFaultError,
  SmscTransportError,
  SmscValidationError,
} from "../src/errors.js";
import { buildFaultEnvelope, buildResponseEnvelope } from "../src/soap/envelope.js";
import { hang, type RawServer, reset, startRawServer, xml } from "./helpers/raw-server.js";

const PSW = "Pa$$w0rd&<secret>";
const APIKEY = "key-0123456789abcdef";
const FAST_RETRY = { attempts: 3, baseDelayMs: 1, maxDelayMs: 5 };

const balanceOk = (origin: string) => xml(buildResponseEnvelope("get_balance", { balance: "42.50" }, origin));

/** Everything a secret could leak through when an error is logged, printed or serialised. */
function everyRendering(error: unknown): string {
  const parts = [String(error), inspect(error, { depth: 20, showHidden: true }), JSON.stringify(error)];
  let current: unknown = error;
  while (current instanceof Error) {
    parts.push(current.message, String(current.stack), JSON.stringify(Object.entries(current)));
    current = current.cause;
  }
  return parts.join("\n");
}

function expectNoSecret(text: string): void {
  for (const secret of [PSW, APIKEY, encodeURIComponent(PSW), "Pa$$w0rd&amp;", "Pa$$w0rd"]) {
    expect(text).not.toContain(secret);
  }
}

async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

let server: RawServer;
let backup: RawServer;

beforeAll(async () => {
  server = await startRawServer([]);
  backup = await startRawServer([]);
});

afterAll(async () => {
  await server.close();
  await backup.close();
});

afterEach(() => {
  server.bodies.length = 0;
  backup.bodies.length = 0;
});

describe("validation happens before anything is sent", () => {
  it("names the field and the rule and carries SMSC's code; nothing reaches the server", async () => {
    server.script = [balanceOk(server.origin)];
    const client = createSmscClient({ login: "demo", psw: PSW }, { baseUrl: server.origin });
    const cases: [Record<string, unknown>, string, number][] = [
      [{ phones: "not a phone", mes: "x" }, "phones", 7],
      [{ phones: "79990000001", mes: "x", time: "tomorrow" }, "time", 5],
      [{ phones: "79990000001", mes: "x".repeat(1001) }, "mes", 1],
      [{ phones: "79990000001", mes: "x", translit: 7 }, "translit", 1],
      [{ phones: "79990000001", mes: "x", flash: 1, viber: 1 }, "viber", 1],
      [{ phones: "a@b.ru", mes: "x", mail: 1 }, "subj", 1],
      [{ phones: "79990000001", mes: "x", nosuchoption: 1 }, "nosuchoption", 1],
      [{ phones: "79990000001", mes: "x", psw: PSW }, "psw", 1],
      [{ phones: "79990000001", mes: "bad \u0001 char" }, "mes", 1],
    ];
    for (const [request, field, code] of cases) {
      const error = await client.send(request as never).catch((thrown: unknown) => thrown);
      expect(error, JSON.stringify(request).slice(0, 80)).toBeInstanceOf(SmscValidationError);
      const validation = error as SmscValidationError;
      expect(validation.field).toBe(field);
      expect(validation.smscError).toBe(code);
      expect(validation.rule).not.toBe("");
      expect(validation.message).toContain(field);
      expectNoSecret(everyRendering(error));
    }
    expect(server.bodies).toEqual([]);
    await client.close();
  });

  it("mes may be omitted for kinds that ignore it (hlr)", async () => {
    server.script = [
      xml(buildResponseEnvelope("send_sms2", { id: "1", cnt: "1" }, `${server.origin}/sys/soap.php`)),
    ];
    const client = createSmscClient({ login: "demo", psw: PSW }, { baseUrl: server.origin });
    await expect(client.send({ phones: "79990000001", mes: "", hlr: 1 })).resolves.toMatchObject({ id: "1" });
    await expect(client.send({ phones: "79990000001", mes: "" })).rejects.toMatchObject({ field: "mes" });
    await client.close();
  });
});

describe("transport failures say whether the request may have reached SMSC", () => {
  it("connection refused is not_sent", async () => {
    const port = await closedPort();
    const client = createSmscClient({ login: "demo", psw: PSW }, { baseUrl: `http://127.0.0.1:${port}` });
    const error = await client.send({ phones: "79990000001", mes: "x" }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(SmscTransportError);
    expect(error).toMatchObject({ outcome: "not_sent", code: "ECONNREFUSED" });
    expectNoSecret(everyRendering(error));
    await client.close();
  });

  it("a timeout after the request was written is unknown, and send is not retried", async () => {
    server.script = [hang];
    const client = createSmscClient(
      { login: "demo", psw: PSW },
      { baseUrl: server.origin, timeoutMs: 200, retry: FAST_RETRY, fallbackUrls: [backup.origin] },
    );
    const error = await client
      .send({ phones: "79990000001", mes: "x", id: "42" })
      .catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(SmscTransportError);
    expect(error).toMatchObject({ outcome: "unknown", code: "UND_ERR_HEADERS_TIMEOUT" });
    expect(server.bodies).toHaveLength(1);
    expect(backup.bodies).toHaveLength(0);
    expectNoSecret(everyRendering(error));
    await client.close();
  });

  it("a reset after the request was written is unknown", async () => {
    server.script = [reset];
    const client = createSmscClient(
      { login: "demo", psw: PSW },
      { baseUrl: server.origin, retry: FAST_RETRY },
    );
    const error = await client.send({ phones: "79990000001", mes: "x" }).catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ name: "SmscTransportError", outcome: "unknown" });
    expect(server.bodies).toHaveLength(1);
    await client.close();
  });

  it("a call after close() is not_sent", async () => {
    const client = createSmscClient({ login: "demo", psw: PSW }, { baseUrl: server.origin });
    await client.close();
    await expect(client.send({ phones: "79990000001", mes: "x" })).rejects.toMatchObject({
      outcome: "not_sent",
      code: "ERR_CLIENT_CLOSED",
    });
    expect(server.bodies).toHaveLength(0);
  });

  it("HTTP 503 without a SOAP body is unknown; 404 is not_sent", async () => {
    server.script = [xml("busy", 503)];
    const client = createSmscClient({ login: "demo", psw: PSW }, { baseUrl: server.origin });
    await expect(client.send({ phones: "79990000001", mes: "x" })).rejects.toMatchObject({
      outcome: "unknown",
      status: 503,
    });
    server.script = [xml("nope", 404)];
    await expect(client.send({ phones: "79990000001", mes: "x" })).rejects.toMatchObject({
      outcome: "not_sent",
      status: 404,
    });
    await client.close();
  });

  it("a SOAP Fault becomes SmscSoapFaultError (a transport error with the fault's code and text)", async () => {
    server.script = [xml(buildFaultEnvelope("Client", "Bad envelope"), 500)];
    const client = createSmscClient(
      { login: "demo", psw: PSW },
      { baseUrl: server.origin, retry: FAST_RETRY },
    );
    const error = await client.balance().catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(SmscSoapFaultError);
    expect(error).toBeInstanceOf(SmscTransportError);
    expect(error).toMatchObject({ faultCode: "soap:Client", faultString: "Bad envelope", status: 500 });
    // A Client fault is not retried: the same envelope would fail again.
    expect(server.bodies).toHaveLength(1);
    await client.close();
  });

  it("a result with a non-numeric number is a transport error with outcome unknown", async () => {
    server.script = [xml(buildResponseEnvelope("send_sms", { id: "1", cnt: "lots" }, server.origin))];
    const client = createSmscClient({ login: "demo", psw: PSW }, { baseUrl: server.origin });
    await expect(client.send({ phones: "79990000001", mes: "x" })).rejects.toMatchObject({
      name: "SmscTransportError",
      code: "BAD_RESPONSE",
      outcome: "unknown",
      message: expect.stringContaining("cnt"),
    });
    await client.close();
  });

  it("a body that is not SOAP is a transport error, not a crash", async () => {
    server.script = [xml("<html>gateway</html>")];
    const client = createSmscClient({ login: "demo", psw: PSW }, { baseUrl: server.origin });
    await expect(client.send({ phones: "79990000001", mes: "x" })).rejects.toMatchObject({
      code: "BAD_RESPONSE",
      outcome: "unknown",
    });
    await client.close();
  });
});

describe("retries and failover", () => {
  it("status, cost and balance retry and fail over to the backup host", async () => {
    server.script = [xml("down", 503)];
    backup.script = [balanceOk(backup.origin)];
    const logs: Record<string, unknown>[] = [];
    const client = createSmscClient(
      { login: "demo", psw: PSW },
      {
        baseUrl: server.origin,
        fallbackUrls: [backup.origin],
        retry: FAST_RETRY,
        logger: { warn: (fields) => logs.push(fields), debug: (fields) => logs.push(fields) },
      },
    );
    await expect(client.balance()).resolves.toMatchObject({ balance: 42.5 });
    expect(server.bodies).toHaveLength(1);
    expect(backup.bodies).toHaveLength(1);
    // The namespace follows the host being called.
    expect(backup.bodies[0]).toContain(`xmlns="${backup.origin}/sys/soap.php"`);
    expect(logs.some((fields) => fields["retryInMs"] !== undefined)).toBe(true);
    expectNoSecret(JSON.stringify(logs));
    await client.close();
  });

  it("gives up after the configured attempts with the last error", async () => {
    server.script = [xml("down", 503)];
    backup.script = [xml("down", 502)];
    const client = createSmscClient(
      { login: "demo", psw: PSW },
      { baseUrl: server.origin, fallbackUrls: [backup.origin], retry: FAST_RETRY },
    );
    await expect(client.status({ phone: "79990000001", id: "1" })).rejects.toMatchObject({ status: 503 });
    expect(server.bodies.length + backup.bodies.length).toBe(3);
    await client.close();
  });

  it("send is never retried, even on a server error", async () => {
    server.script = [xml("down", 503)];
    backup.script = [balanceOk(backup.origin)];
    const client = createSmscClient(
      { login: "demo", psw: PSW },
      { baseUrl: server.origin, fallbackUrls: [backup.origin], retry: FAST_RETRY },
    );
    await expect(client.send({ phones: "79990000001", mes: "x" })).rejects.toBeInstanceOf(SmscTransportError);
    expect(server.bodies).toHaveLength(1);
    expect(backup.bodies).toHaveLength(0);
    await client.close();
  });

  it("in-band errors other than retryable ones are not retried", async () => {
    server.script = [xml(buildResponseEnvelope("get_balance", { error: "2" }, server.origin))];
    const client = createSmscClient(
      { login: "demo", psw: PSW },
      { baseUrl: server.origin, retry: FAST_RETRY },
    );
    const error = await client.balance().catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(SmscApiError);
    expect(error).toMatchObject({ method: "balance", code: 2, errorClass: "auth" });
    expect(server.bodies).toHaveLength(1);
    expectNoSecret(everyRendering(error));
    await client.close();
  });

  it("the default backup host is www2.<domain>, none for IPs", () => {
    expect(defaultFallbacks("https://smsc.ru")).toEqual(["https://www2.smsc.ru"]);
    expect(defaultFallbacks("https://www.smscentre.com")).toEqual(["https://www2.smscentre.com"]);
    expect(defaultFallbacks("http://127.0.0.1:8900")).toEqual([]);
  });
});

describe("secrets never leave the client", () => {
  it("an apikey travels as psw (empty login) and in query, and never in errors", async () => {
    server.script = [xml(buildResponseEnvelope("send_sms2", { error: "6", id: "9" }, server.origin))];
    const client = createSmscClient({ apikey: APIKEY }, { baseUrl: server.origin });
    const error = await client
      .send({ phones: "79990000001", mes: "x", translit: 1 })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 6, errorClass: "denied", messageId: "9" });
    expect(server.bodies[0]).toContain("<login></login>");
    expect(server.bodies[0]).toContain(`<psw>${APIKEY}</psw>`);
    expect(server.bodies[0]).toContain(`apikey=${APIKEY}`);
    expectNoSecret(everyRendering(error));
    await client.close();
  });

  it("a transport error whose cause holds the request body is redacted all the way down", async () => {
    // A dispatcher that fails the way a careless HTTP layer might: with the whole request in the error.
    const leaky = new Agent().compose(() => (options) => {
      const cause = Object.assign(new Error(`could not write ${String(options.body)}`), {
        code: "ECONNRESET",
        requestBody: options.body,
      });
      throw new Error(`socket hang up while sending ${String(options.body)}`, { cause });
    });
    const client = createSmscClient(
      { login: "demo", psw: PSW },
      { baseUrl: server.origin, dispatcher: leaky, retry: FAST_RETRY },
    );
    const error = await client.send({ phones: "79990000001", mes: "x" }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(SmscTransportError);
    expect(error).toBeInstanceOf(SmscError);
    const transport = error as SmscTransportError;
    expect(transport.outcome).toBe("unknown");
    expect(transport.cause).toBeInstanceOf(Error);
    expect(String((transport.cause as Error).message)).toContain("[REDACTED]");
    expectNoSecret(everyRendering(error));
    expectNoSecret(JSON.stringify(transport.toJSON()));
    await client.close();
    await leaky.close();
  });

  it("a fault or a malformed answer that echoes the password is redacted", async () => {
    const client = createSmscClient(
      { login: "demo", psw: PSW },
      { baseUrl: server.origin, retry: FAST_RETRY },
    );
    server.script = [xml(buildFaultEnvelope("Server", `cannot parse psw=${PSW}`), 500)];
    const fault = await client.balance().catch((thrown: unknown) => thrown);
    expect(fault).toBeInstanceOf(SmscSoapFaultError);
    expect((fault as SmscSoapFaultError).faultString).toBe("cannot parse psw=[REDACTED]");
    expectNoSecret(everyRendering(fault));
    server.script = [xml(`<Envelope><Body><oops>${PSW}</oops></Body></Envelope>`)];
    const malformed = await client
      .send({ phones: "79990000001", mes: "x" })
      .catch((thrown: unknown) => thrown);
    expect(malformed).toBeInstanceOf(SmscTransportError);
    expectNoSecret(everyRendering(malformed));
    await client.close();
  });

  it("printing or serialising the client shows no secret", async () => {
    const client = createSmscClient({ login: "demo", psw: PSW }, { baseUrl: server.origin });
    const apiClient = createSmscClient({ apikey: APIKEY }, { baseUrl: server.origin });
    for (const printed of [client, apiClient].flatMap((c) => [
      inspect(c, { showHidden: true, depth: 20 }),
      JSON.stringify(c),
      String(c),
    ])) {
      expectNoSecret(printed);
    }
    await client.close();
    await apiClient.close();
  });

  it("bad credentials and options are refused without echoing them", () => {
    expect(() => createSmscClient({ login: "", psw: PSW })).toThrow(/login/);
    expect(() => createSmscClient({ apikey: "" })).toThrow(/apikey/);
    let thrown: unknown;
    try {
      createSmscClient(
        { login: "demo", psw: PSW },
        { baseUrl: `https://demo:${encodeURIComponent(PSW)}@smsc.ru` },
      );
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(TypeError);
    expectNoSecret(everyRendering(thrown));
  });
});
