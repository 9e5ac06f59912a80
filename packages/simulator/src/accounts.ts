/** Simulated SMSC accounts: credentials, balance, prices and the callback ("status handler") URL. */
export interface CallbackTarget {
  /** URL of the client's status handler (SMSC: "User settings" → status handler). */
  url: string;
  /** Secret used for the md5/sha1 signatures of each callback (docs/protocol.md §4). */
  secret?: string;
}

export interface AccountConfig {
  login: string;
  psw: string;
  apikey?: string;
  /** Opening balance (default 1000). */
  balance?: number;
  /**
   * Price of one SMS part per message kind (`sms` for plain text, otherwise the catalog's kind name:
   * flash, viber, hlr, …). Kinds without a price use `sms`; default `sms` price 1.5.
   */
  prices?: Record<string, number>;
  /** Where delivery statuses are POSTed; none means no callbacks for this account. */
  callback?: CallbackTarget;
  /** Registered sender names; when given, any other `sender` is refused with error 6. */
  senders?: string[];
}

export const DEFAULT_ACCOUNT: AccountConfig = {
  login: "demo",
  psw: "demo",
  apikey: "demo-key",
  balance: 1000,
};

export const DEFAULT_SMS_PRICE = 1.5;

export class Account {
  balance: number;
  /** Sequence for ids the simulator assigns when the client sends none. */
  nextId = 1;

  constructor(readonly config: AccountConfig) {
    this.balance = config.balance ?? 1000;
  }

  get login(): string {
    return this.config.login;
  }

  priceFor(kind: string): number {
    const prices = this.config.prices ?? {};
    return prices[kind] ?? prices["sms"] ?? DEFAULT_SMS_PRICE;
  }

  reset(): void {
    this.balance = this.config.balance ?? 1000;
    this.nextId = 1;
  }
}

/** Credentials as they arrive: SOAP elements plus whatever `query` carried. */
export interface PresentedCredentials {
  login?: string | undefined;
  psw?: string | undefined;
  apikey?: string | undefined;
}

export class AccountRegistry {
  private readonly byLogin = new Map<string, Account>();
  private readonly byApikey = new Map<string, Account>();

  constructor(configs: readonly AccountConfig[]) {
    for (const config of configs) this.add(config);
  }

  add(config: AccountConfig): Account {
    if (!config.login) throw new Error("account: login must not be empty");
    const account = new Account(config);
    this.byLogin.set(config.login, account);
    if (config.apikey) this.byApikey.set(config.apikey, account);
    return account;
  }

  get(login: string): Account | undefined {
    return this.byLogin.get(login);
  }

  all(): Account[] {
    return [...this.byLogin.values()];
  }

  /**
   * SMSC accepts an API key instead of login+password: as `apikey` (element or inside `query`), or as
   * `psw` with an empty login (docs/protocol.md §2.1).
   */
  authenticate(credentials: PresentedCredentials): Account | undefined {
    if (credentials.apikey) return this.byApikey.get(credentials.apikey);
    const login = credentials.login ?? "";
    const psw = credentials.psw ?? "";
    if (login === "") return psw === "" ? undefined : this.byApikey.get(psw);
    const account = this.byLogin.get(login);
    return account !== undefined && account.config.psw === psw ? account : undefined;
  }
}
