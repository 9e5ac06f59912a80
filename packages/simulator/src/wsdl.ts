import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * The WSDL the simulator serves is `spec/smsc.wsdl`, the same contract the client is generated from.
 * SMSC's WSDL names its own host in the targetNamespace, the soapAction and the address; the
 * simulator rewrites that origin to whatever origin the client used to reach it, exactly as the
 * real service answers differently on smsc.ru and smsc.ua.
 */
export interface WsdlTemplate {
  text: string;
  /** Origin written in spec/smsc.wsdl (e.g. `https://smsc.ru`), replaced on every request. */
  specOrigin: string;
  /** Whether the schema qualifies local elements (elementFormDefault="qualified"). */
  qualified: boolean;
}

const CANDIDATES = [
  // packages/simulator/{src,dist}/wsdl.* → the repository's spec/ (always current in the workspace)
  new URL("../../../spec/smsc.wsdl", import.meta.url),
  // the copy the build puts into dist/ (what a published package carries)
  new URL("./smsc.wsdl", import.meta.url),
];

export function defaultWsdlPath(): string {
  for (const candidate of CANDIDATES) {
    const path = fileURLToPath(candidate);
    if (existsSync(path)) return path;
  }
  throw new Error("spec/smsc.wsdl not found next to @smsc-kit/simulator; pass `wsdlPath`");
}

export function loadWsdlTemplate(path: string = defaultWsdlPath()): WsdlTemplate {
  const text = readFileSync(path, "utf8");
  const namespace = /targetNamespace="([^"]+)"/.exec(text)?.[1];
  if (namespace === undefined) throw new Error(`${path}: no targetNamespace`);
  const specOrigin = new URL(namespace).origin;
  const qualified = /elementFormDefault="qualified"/.test(text);
  return { text, specOrigin, qualified };
}

export function renderWsdl(template: WsdlTemplate, origin: string): string {
  return template.text.split(template.specOrigin).join(origin);
}
