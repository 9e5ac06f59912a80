// What each root script run through setup.mjs needs from the machine beyond Node and npm.
// Only the test suite needs system packages: the demo runs on SQLite and the simulator, so a newcomer's
// `npm run demo` never installs anything outside node_modules.

/** Debian packages the test suites run, and why (each test fails loudly, never skips, without it). */
export const TEST_PACKAGES = [
  // packages/simulator/test/foreign-clients.test.ts: PHP's SoapClient against the simulator.
  "php-cli",
  "php-soap",
  // Same test: python zeep, run with /usr/bin/python3 (Debian's Python, not a pyenv one).
  "python3-zeep",
  // apps/gateway/test/e2e.test.ts: playwright-core drives /usr/bin/chromium.
  "chromium",
  // packages/smtp-relay/test/helpers/cert.ts: the TLS tests make their certificate with the openssl CLI.
  "openssl",
];

/**
 * The PostgreSQL the suites use: 127.0.0.1:5432, user `postgres` with trust, database `test`
 * (tests make unique schemas inside it).
 */
export const TEST_POSTGRES = { host: "127.0.0.1", port: 5432, user: "postgres", database: "test" };

/** @type {Record<string, { packages: string[], postgres?: typeof TEST_POSTGRES }>} */
const NEEDS = {
  "test:suite": { packages: TEST_PACKAGES, postgres: TEST_POSTGRES },
};

/** What `script` needs; scripts not listed need nothing beyond Node and npm. */
export function needsOf(script) {
  return NEEDS[script] ?? { packages: [] };
}
