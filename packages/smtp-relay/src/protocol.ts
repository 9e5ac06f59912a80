/**
 * The relay's only window onto SMSC's rules. Everything protocol-specific (what a valid
 * phone or sender name is, how many parts a text needs) comes from @smsc-kit/core,
 * which reads it from spec/ through the generated tables; nothing is restated here.
 *
 * WIP: core's validators are being published in parallel; until then these throw.
 */
export type RuleCheck = { ok: true; phone: string } | { ok: false; rule: string; message: string };

export function checkPhone(_phone: string): RuleCheck {
  throw new Error("checkPhone: waiting for @smsc-kit/core validateRequest");
}

export function checkSender(_sender: string): { ok: true } | { ok: false; rule: string; message: string } {
  throw new Error("checkSender: waiting for @smsc-kit/core validateRequest");
}

export function countParts(_text: string, _translit: boolean): number {
  throw new Error("countParts: waiting for @smsc-kit/core segments");
}
