import { createHash } from "node:crypto";
import type { Account, AccountRegistry } from "./accounts.js";
import type { CallbackDispatcher } from "./callbacks.js";
import type { SimClock } from "./clock.js";
import type { Counters } from "./counters.js";
import type { Lifecycle } from "./lifecycle.js";
import { ListOptionError, parseListOption } from "./list-option.js";
import { type MessageStore, recipientKey, type SimMessage } from "./messages.js";
import { type PhoneRule, resolvePhoneOutcome } from "./phone-rules.js";
import {
  decodeQuery,
  formatSmscDate,
  messageKindOf,
  methodOf,
  OPERATIONS,
  type OperationName,
  parsePhones,
  parseSendTime,
  type SmscMethod,
  segments,
  statusName,
  validateRequest,
} from "./protocol.js";
import type { RateRules } from "./rate-rules.js";
import { resolveSendWindow } from "./send-window.js";

export type ResultFields = Record<string, string | readonly Record<string, string>[] | undefined>;

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
  callbacks: CallbackDispatcher;
  counters: Counters;
  phoneRules: () => readonly PhoneRule[];
}

type Fields = Record<string, string>;

const CREDENTIAL_FIELDS = new Set(["login", "psw", "apikey"]);

const NO_TICKET = { error: undefined, release: () => {} };

class RequestError extends Error {
  constructor(readonly code: number) {
    super(`SMSC error ${code}`);
  }
}

function money(value: number): string {
  return value.toFixed(2);
}

/**
 * Element fields win over the same name inside `query`; `query` itself is decoded into the object.
 * An empty optional value means "not given" (the SMSC page itself sends `'id'=>''`), so it is dropped;
 * credentials are kept as sent because an empty login has a meaning of its own.
 */
function mergeFields(operation: OperationName, fields: Fields): Fields {
  const { query, ...elements } = fields;
  const merged: Fields =
    OPERATIONS[operation].hasQuery && query !== undefined ? { ...decodeQuery(query), ...elements } : elements;
  for (const [name, value] of Object.entries(merged)) {
    if (value === "" && !CREDENTIAL_FIELDS.has(name)) delete merged[name];
  }
  return merged;
}

/** A stable digest of a request minus its secrets: what "identical request" compares. */
function fingerprint(login: string, fields: Fields): string {
  const hash = createHash("sha1");
  hash.update(login);
  for (const key of Object.keys(fields).sort()) {
    if (CREDENTIAL_FIELDS.has(key)) continue;
    hash.update(`\u0000${key}\u0001${fields[key]}`);
  }
  return hash.digest("hex");
}

/** Recipients in SMSC's canonical form; one that matches no recipient format is error 7 ("invalid phone"). */
function recipientsOf(phones: string): string[] {
  const recipients = parsePhones(phones);
  if (recipients.some((recipient) => recipient.kind === "invalid")) throw new RequestError(7);
  return recipients.map((recipient) => recipient.value);
}

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
      const result = this.dispatch(method, operation, account, fields, now);
      if (method === "send") this.deps.rates.sendOutcome(method, ip, false, now);
      return { result, login };
    } catch (error) {
      if (!(error instanceof RequestError)) throw error;
      if (method === "send" && error.code !== 2 && error.code !== 4)
        this.deps.rates.sendOutcome(method, ip, true, now);
      return this.errorResult(error.code, login);
    }
  }

  errorResult(code: number, login?: string): EngineResult {
    this.deps.counters.error(code);
    const out: EngineResult = { result: { error: String(code) }, error: code };
    if (login !== undefined) out.login = login;
    return out;
  }

  /** Concurrency accounting for the "simultaneous requests" rules; release when answered. */
  enter(operation: OperationName, rawFields: Fields): { error: number | undefined; release: () => void } {
    const method = methodOf(operation);
    if (!this.deps.rates.countsConcurrency(method)) return NO_TICKET;
    const fields = mergeFields(operation, rawFields);
    const who = fields["login"] || fields["apikey"] || fields["psw"] || "";
    // Keyed by a digest so a password or API key is never kept as a map key.
    return this.deps.rates.enter(method, createHash("sha1").update(who).digest("hex"));
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
      throw new RequestError(2);
    }
    return account;
  }

  private validate(method: SmscMethod, fields: Fields): void {
    const verdict = validateRequest(method, fields);
    if (!verdict.ok) throw new RequestError(verdict.error.smscError);
  }

  /**
   * A `list` request carries its recipients and texts in the list lines instead of `phones`/`mes`;
   * each line is judged as the single message it stands for.
   */
  private validateMessage(method: SmscMethod, fields: Fields): void {
    const list = fields["list"];
    if (list === undefined) {
      this.validate(method, fields);
      return;
    }
    const { list: _list, ...rest } = fields;
    for (const entry of this.listEntries(list)) {
      this.validate(method, {
        ...rest,
        phones: entry.phones,
        mes: entry.mes,
        ...(entry.sender ? { sender: entry.sender } : {}),
      });
    }
  }

  private listEntries(list: string): ReturnType<typeof parseListOption> {
    try {
      return parseListOption(list);
    } catch (error) {
      if (error instanceof ListOptionError) throw new RequestError(1);
      throw error;
    }
  }

  private dispatch(
    method: SmscMethod,
    operation: OperationName,
    account: Account,
    fields: Fields,
    now: number,
  ): ResultFields {
    switch (method) {
      case "balance":
        return this.balance(account, fields, now);
      case "status":
        return this.status(account, fields, now);
      case "cost":
        this.validateMessage(method, fields);
        return this.price(method, account, fields, now, operation).response;
      case "send":
        this.validateMessage(method, fields);
        return this.send(account, fields, now, operation);
    }
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
    const perMessage = this.deps.rates.count(
      "status",
      "requests-per-message",
      `${account.login}\u0000${id}\u0000${recipientKey(phone)}`,
      now,
    );
    if (perMessage !== undefined) throw new RequestError(perMessage);
    const message = this.deps.store.find(account.login, id, phone);
    if (message === undefined) throw new RequestError(3);
    return this.statusResult(message, Number(fields["all"] ?? "0"));
  }

  statusResult(message: SimMessage, all: number): ResultFields {
    const result: ResultFields = {
      status: String(message.status),
      last_date: formatSmscDate(new Date(message.lastChangeAt)),
      last_timestamp: String(Math.floor(message.lastChangeAt / 1000)),
      err: String(message.err),
    };
    if (all >= 1) {
      Object.assign(result, {
        send_date: formatSmscDate(new Date(message.sendAt)),
        send_timestamp: String(Math.floor(message.sendAt / 1000)),
        phone: message.phone,
        cost: money(message.cost),
        sender_id: message.sender,
        status_name: statusName(message.status),
        message: message.mes,
        sms_cnt: String(message.parts),
        type: String(message.type),
      });
    }
    if (all >= 2) Object.assign(result, { operator: message.operator, region: message.region });
    return result;
  }

  /** Recipients, parts and price of a send or cost request: shared by both so they always agree. */
  private price(
    method: SmscMethod,
    account: Account,
    fields: Fields,
    now: number,
    operation: OperationName,
  ): { response: ResultFields; plan: PlannedRecipient[]; cost: number; cnt: number } {
    const kind = messageKindOf(fields);
    const entries: { phones: string; mes: string; sender?: string; tz?: string }[] = fields["list"]
      ? this.listEntries(fields["list"])
      : [{ phones: fields["phones"] ?? "", mes: fields["mes"] ?? "" }];
    const plan: PlannedRecipient[] = [];
    const rules = this.deps.phoneRules();
    for (const entry of entries) {
      const recipients = recipientsOf(entry.phones);
      if (recipients.length === 0) throw new RequestError(7);
      const parts = kind.ignoresMes
        ? 1
        : segments(entry.mes, { translit: fields["translit"], maxsms: fields["maxsms"] }).parts;
      for (const phone of recipients) {
        const outcome = resolvePhoneOutcome(rules, phone);
        if (outcome.sendError !== undefined) throw new RequestError(outcome.sendError);
        plan.push({
          phone,
          mes: entry.mes,
          sender: entry.sender ?? fields["sender"] ?? "",
          tz: entry.tz ?? fields["tz"],
          parts,
          price: parts * account.priceFor(kind.name),
          outcome,
        });
      }
    }
    const cnt = plan.reduce((sum, r) => sum + r.parts, 0);
    const cost = plan.reduce((sum, r) => sum + r.price, 0);
    if (method === "cost" || operation === "get_sms_cost" || operation === "get_sms_cost2") {
      const limited = this.deps.rates.count(
        "cost",
        "identical-requests",
        () => fingerprint(account.login, fields),
        now,
      );
      if (limited !== undefined) throw new RequestError(limited);
    }
    return { response: { cost: money(cost), cnt: String(cnt) }, plan, cost, cnt };
  }

  private send(account: Account, fields: Fields, now: number, operation: OperationName): ResultFields {
    const costMode = Number(fields["cost"] ?? "0");
    if (costMode === 1) return this.price("cost", account, fields, now, operation).response;
    const { plan, cnt } = this.price("send", account, fields, now, operation);
    const senders = account.config.senders;
    if (senders !== undefined) {
      for (const r of plan) if (r.sender !== "" && !senders.includes(r.sender)) throw new RequestError(6);
    }
    const duplicate = this.deps.rates.count(
      "send",
      "identical-requests",
      () => fingerprint(account.login, fields),
      now,
    );
    if (duplicate !== undefined) throw new RequestError(duplicate);
    const sendAts = plan.map((r) => this.sendTime(fields["time"], r.tz, now));
    // The flood rule decides per recipient; forbidden messages are not charged.
    const floods = plan.map((r) => this.deps.rates.floodStatus("send", recipientKey(r.phone), now));
    const charged = plan.reduce((sum, r, i) => (floods[i] === undefined ? sum + r.price : sum), 0);
    if (charged > account.balance + 1e-9) throw new RequestError(3);
    account.balance -= charged;
    const id = fields["id"] || String(account.nextId++);
    const kind = messageKindOf(fields);
    const errors: Record<string, string>[] = [];
    plan.forEach((r, i) => {
      const message: SimMessage = {
        login: account.login,
        id,
        phone: r.phone,
        mes: r.mes,
        sender: r.sender,
        kind: kind.name,
        type: kind.type,
        parts: r.parts,
        cost: floods[i] === undefined ? r.price : 0,
        createdAt: now,
        sendAt: Math.max(now, sendAts[i]!),
        status: -1,
        err: 0,
        lastChangeAt: now,
        operator: r.outcome.operator,
        region: r.outcome.region,
        history: [{ status: -1, err: 0, at: now }],
      };
      this.deps.store.add(message);
      const flood = floods[i];
      if (flood !== undefined) {
        this.deps.lifecycle.change(message, flood, 0, now);
        errors.push({ phone: r.phone, status: String(flood) });
      } else {
        this.deps.lifecycle.plan(message, r.outcome);
      }
    });
    this.deps.counters.messages(plan.length);
    const result: ResultFields = { id, cnt: String(cnt) };
    if (costMode >= 2) result["cost"] = money(charged);
    if (costMode >= 3) result["balance"] = money(account.balance);
    if (fields["err"] === "1" && errors.length > 0) result["errors"] = errors;
    return result;
  }

  private sendTime(time: string | undefined, tz: string | undefined, now: number): number {
    if (time === undefined || time === "") return now;
    let parsed: ReturnType<typeof parseSendTime>;
    try {
      parsed = parseSendTime(time, { tz, now: new Date(now) });
    } catch {
      throw new RequestError(5);
    }
    return parsed instanceof Date ? parsed.getTime() : resolveSendWindow(parsed.window, now);
  }
}

interface PlannedRecipient {
  phone: string;
  mes: string;
  sender: string;
  tz: string | undefined;
  parts: number;
  price: number;
  outcome: ReturnType<typeof resolvePhoneOutcome>;
}
