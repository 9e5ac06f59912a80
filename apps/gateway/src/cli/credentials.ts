import type { GatewayConfig } from "../config/schema.js";

export type CliCredentials = { login: string; psw: string } | { apikey: string };

export class MissingCredentialsError extends Error {
  override readonly name = "MissingCredentialsError";
  constructor() {
    super(
      "no SMSC credentials: set SMSC_LOGIN and SMSC_PSW, or SMSC_APIKEY, or put smsc.login/smsc.psw (or smsc.apikey) in the config file",
    );
  }
}

/**
 * Credentials come from the environment first, then the config file. There is deliberately no `--psw`
 * flag: a password on the command line ends up in shell history and in `ps` output.
 */
export function resolveCredentials(env: NodeJS.ProcessEnv, config?: GatewayConfig): CliCredentials {
  if (env.SMSC_APIKEY) return { apikey: env.SMSC_APIKEY };
  if (env.SMSC_LOGIN && env.SMSC_PSW) return { login: env.SMSC_LOGIN, psw: env.SMSC_PSW };
  const smsc = config?.smsc;
  if (smsc?.apikey) return { apikey: smsc.apikey };
  if (smsc?.login && smsc.psw) return { login: smsc.login, psw: smsc.psw };
  throw new MissingCredentialsError();
}

/** Every secret value we know of, so output can be scrubbed of them as a last line of defence. */
export function secretValues(credentials: CliCredentials): string[] {
  return "apikey" in credentials ? [credentials.apikey] : [credentials.psw];
}
