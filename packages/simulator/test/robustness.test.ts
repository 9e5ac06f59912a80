import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningSimulator } from "../src/index.js";
import { DEMO, envelope, rawPost, startTestSimulator } from "./helpers.js";

describe("a misbehaving client never crashes the simulator", () => {
  let sim: RunningSimulator;
  const lines: string[] = [];

  beforeAll(async () => {
    sim = await startTestSimulator({
      accounts: [{ login: "demo", psw: "demo", apikey: "top-secret-key" }],
      log: (line) => lines.push(line),
      maxBodyBytes: 64 * 1024,
    });
  });
  afterAll(() => sim.close());

  async function stillServes(): Promise<void> {
    const ok = await rawPost(sim, envelope("balance", DEMO));
    expect(ok.text).toContain("<balance>1000.00</balance>");
  }

  it.each([
    ["garbage", "this is not xml"],
    ["unclosed tags", "<soap:Envelope><soap:Body><send>"],
    ["XML that is not an envelope", "<hello/>"],
    ["an empty body", ""],
    ["an entity bomb", '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]><x>&a;&a;</x>'],
  ])("%s gets a SOAP Fault (HTTP 500)", async (_name, body) => {
    const response = await rawPost(sim, body);
    expect(response.status).toBe(500);
    expect(response.text).toMatch(/<faultcode>[^<]*Client<\/faultcode>/);
    await stillServes();
  });

  it("an unknown operation gets a SOAP Fault naming it", async () => {
    const response = await rawPost(sim, envelope("delete_everything", DEMO));
    expect(response.status).toBe(500);
    expect(response.text).toContain("delete_everything");
  });

  it("a huge body gets 413 without being read to the end", async () => {
    const response = await rawPost(
      sim,
      envelope("send", { ...DEMO, phones: "79991234567", mes: "x".repeat(200_000) }),
    );
    expect(response.status).toBe(413);
    await stillServes();
  });

  it("a wrong content type is still parsed as SMSC's SoapServer does", async () => {
    const response = await rawPost(sim, envelope("balance", DEMO), { "content-type": "application/json" });
    expect(response.text).toContain("<balance>1000.00</balance>");
  });

  it("missing fields are an in-band error, not a crash", async () => {
    expect((await rawPost(sim, envelope("send", DEMO))).text).toMatch(/<error>(1|7)<\/error>/);
    expect((await rawPost(sim, envelope("balance", {}))).text).toContain("<error>2</error>");
    expect((await rawPost(sim, envelope("status", { ...DEMO, phone: "79991234567" }))).text).toMatch(
      /<error>1<\/error>/,
    );
  });

  it("nested elements where a string belongs are error 1", async () => {
    const body = envelope("balance", DEMO).replace("<psw>demo</psw>", "<psw><a>demo</a></psw>");
    expect((await rawPost(sim, body)).text).toContain("<error>1</error>");
  });

  it("other paths are 404 and GET without ?wsdl is 405", async () => {
    expect((await fetch(sim.url.replace("/sys/soap.php", "/nope"))).status).toBe(404);
    expect((await fetch(sim.url)).status).toBe(405);
  });

  it("survives 300 mangled envelopes: every one gets an HTTP answer, none takes the process down", async () => {
    // Mangled credentials would soon block the IP (a correct answer, but not what this test is about).
    sim.inspector.setRules({ rateLimits: false });
    // Deterministic pseudo-random mutations of a valid request (a tiny LCG, so a failure is reproducible).
    let seed = 12345;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed;
    };
    const valid = envelope("send2", {
      ...DEMO,
      phones: "79991234567",
      mes: "Hi <b>&amp;</b>",
      query: "cost=3&list=x",
    });
    const alphabet = [
      "<",
      ">",
      "&",
      "/",
      '"',
      "\u0000",
      "\uFFFF",
      "]]>",
      "<!--",
      "&#0;",
      "<?",
      "\n",
      "é",
      "😀",
    ];
    const statuses = new Set<number>();
    for (let i = 0; i < 300; i++) {
      const chars = [...valid];
      for (let k = 0; k < 1 + (next() % 6); k++) {
        const at = next() % chars.length;
        if (next() % 2 === 0) chars.splice(at, 1 + (next() % 8));
        else chars.splice(at, 0, JSON.parse(`"${alphabet[next() % alphabet.length]}"`) as string);
      }
      const response = await rawPost(sim, chars.join(""));
      expect([200, 500]).toContain(response.status);
      statuses.add(response.status);
    }
    expect(statuses).toEqual(new Set([200, 500]));
    sim.inspector.reset();
    sim.inspector.setRules({ rateLimits: true });
    await stillServes();
  });

  it("logs one line per request and never a password or an API key", async () => {
    await rawPost(
      sim,
      envelope("send2", {
        login: "",
        psw: "",
        phones: "79991234567",
        mes: "x",
        query: "apikey=top-secret-key",
      }),
    );
    await rawPost(sim, envelope("balance", { login: "demo", psw: "wrong-password-123" }));
    expect(lines.some((l) => l.includes("get_balance"))).toBe(true);
    const all = lines.join("\n");
    for (const secret of ["top-secret-key", "wrong-password-123", "psw"]) expect(all).not.toContain(secret);
  });
});
