/**
 * SOAP header blocks the simulator is obliged to refuse. SMSC's operations take no headers, so the
 * simulator understands none: a block marked `mustUnderstand` that is addressed to it (no actor/role, or
 * the "next" / "ultimateReceiver" one) must be answered with a MustUnderstand fault instead of being
 * ignored (SOAP 1.1 §4.2.3, SOAP 1.2 Part 1 §5.2.3), as PHP's SoapServer does. A block for another
 * role, or one without the mark, is ignored.
 */

/** Actor/role URIs that address this node (SOAP 1.1 `actor`, SOAP 1.2 `role`). */
const OURS = new Set([
  "http://schemas.xmlsoap.org/soap/actor/next",
  "http://www.w3.org/2003/05/soap-envelope/role/next",
  "http://www.w3.org/2003/05/soap-envelope/role/ultimateReceiver",
]);

/**
 * True when a header block with these attributes must be understood by this node. `namespaceOf` resolves
 * an attribute's prefix; only attributes in the envelope's namespace carry SOAP's meaning.
 */
export function mustBeUnderstood(
  attributes: Readonly<Record<string, string>>,
  envelopeNamespace: string,
  namespaceOf: (prefix: string) => string | undefined,
): boolean {
  let mandatory = false;
  let addressedHere = true;
  for (const name in attributes) {
    const colon = name.indexOf(":");
    if (colon === -1 || namespaceOf(name.slice(0, colon)) !== envelopeNamespace) continue;
    const local = name.slice(colon + 1);
    const value = attributes[name]!.trim();
    if (local === "mustUnderstand") mandatory = value === "1" || value === "true";
    else if (local === "actor" || local === "role") addressedHere = OURS.has(value);
  }
  return mandatory && addressedHere;
}
