import { stat } from "node:fs/promises";

/** Keys whose value is a password or key wherever they appear in the config. */
const SECRET_KEYS = new Set(["psw", "apikey", "password", "pass", "secret"]);

/**
 * Whether the parsed config file itself holds a secret (not one given through the environment): a value
 * under a secret key, or a URL carrying a password (`store.postgres: postgres://app:pw@db/app`, or
 * `?password=` as libpq and pg accept it) wherever it is.
 */
export function holdsSecret(value: unknown): boolean {
  if (typeof value === "string") return urlHoldsPassword(value);
  if (Array.isArray(value)) return value.some(holdsSecret);
  if (typeof value !== "object" || value === null) return false;
  for (const [key, child] of Object.entries(value)) {
    if (SECRET_KEYS.has(key.toLowerCase()) && child !== null && child !== undefined && child !== "")
      return true;
    if (holdsSecret(child)) return true;
  }
  return false;
}

function urlHoldsPassword(text: string): boolean {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return false;
  try {
    const url = new URL(text);
    return url.password !== "" || (url.searchParams.get("password") ?? "") !== "";
  } catch {
    return false;
  }
}

/**
 * A warning when a config file holding a secret can be read by its group or by others, naming the file and
 * its mode; undefined otherwise. POSIX permissions only: on Windows the mode bits say nothing of ACLs.
 */
export async function looseModeWarning(file: string, parsed: unknown): Promise<string | undefined> {
  if (process.platform === "win32" || !holdsSecret(parsed)) return undefined;
  const { mode } = await stat(file);
  if ((mode & 0o077) === 0) return undefined;
  const octal = (mode & 0o777).toString(8).padStart(4, "0");
  return `config file ${file} holds a password and is readable by group or others (mode ${octal}): chmod 600 ${file}, or give the secret through the environment`;
}
