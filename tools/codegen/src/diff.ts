import type { Format } from "./catalog-schema.js";
import type { Model, ModelParameter } from "./model.js";

// Semantic diff between two compiled specs, and the changeset bump it implies for @smsc-kit/core:
// something removed or newly required breaks users (major); something added is a feature (minor);
// wording only is a patch.

export type Bump = "major" | "minor" | "patch";

export interface Change {
  bump: Bump;
  description: string;
}

const RANK: Record<Bump | "none", number> = { none: 0, patch: 1, minor: 2, major: 3 };

/** Keys whose change is wording only. */
// Wording and examples: a change is a patch (an example is documentation and the simulator's answer for a
// method without behaviour; no type or rule of the client follows from it).
const TEXT_KEYS = new Set([
  "example",
  "description",
  "descriptionRu",
  "text",
  "textRu",
  "name",
  "nameRu",
  "notes",
  "confidence",
]);

function keyed<T>(items: readonly T[], key: (item: T) => string): Map<string, T> {
  return new Map(items.map((item) => [key(item), item]));
}

function compareKeyed<T>(
  label: string,
  before: Map<string, T>,
  after: Map<string, T>,
  onBoth: (key: string, a: T, b: T) => Change[],
  added: (key: string, b: T) => Bump = () => "minor",
): Change[] {
  const changes: Change[] = [];
  for (const [key, a] of before) {
    const b = after.get(key);
    if (b === undefined) changes.push({ bump: "major", description: `${label} ${key} removed` });
    else changes.push(...onBoth(key, a, b));
  }
  for (const [key, b] of after) {
    if (!before.has(key)) changes.push({ bump: added(key, b), description: `${label} ${key} added` });
  }
  return changes;
}

/** Field-by-field comparison of two records: wording keys → patch, anything else → `otherBump`. */
function compareRecord(label: string, a: object, b: object, otherBump: Bump = "minor"): Change[] {
  const changes: Change[] = [];
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(ra), ...Object.keys(rb)])].sort();
  for (const key of keys) {
    if (JSON.stringify(ra[key]) === JSON.stringify(rb[key])) continue;
    changes.push({
      bump: TEXT_KEYS.has(key) ? "patch" : otherBump,
      description: `${label}: ${key} changed from ${JSON.stringify(ra[key])} to ${JSON.stringify(rb[key])}`,
    });
  }
  return changes;
}

function enumValues(p: ModelParameter): string[] | null {
  return p.format.kind === "enum" ? p.format.values.map((v) => v.value) : null;
}

function compareParameter(label: string, a: ModelParameter, b: ModelParameter): Change[] {
  const changes: Change[] = [];
  const va = enumValues(a);
  const vb = enumValues(b);
  if (va && vb) {
    for (const v of va) {
      if (!vb.includes(v))
        changes.push({ bump: "major", description: `${label}: enum value ${JSON.stringify(v)} removed` });
    }
    for (const v of vb) {
      if (!va.includes(v))
        changes.push({ bump: "minor", description: `${label}: enum value ${JSON.stringify(v)} added` });
    }
  }
  for (const m of a.methods) {
    if (!b.methods.includes(m))
      changes.push({ bump: "major", description: `${label}: no longer accepted by ${m}` });
  }
  for (const m of b.methods) {
    if (!a.methods.includes(m))
      changes.push({ bump: "minor", description: `${label}: now accepted by ${m}` });
  }
  if (a.format.kind === "enum" && b.format.kind === "enum") {
    const wording = new Map(a.format.values.map((v) => [v.value, v.description]));
    for (const v of b.format.values) {
      const old = wording.get(v.value);
      if (old !== undefined && old !== v.description) {
        changes.push({
          bump: "patch",
          description: `${label}: description of enum value ${JSON.stringify(v.value)} changed`,
        });
      }
    }
  }
  // The format is compared twice: without its wording (a real rule change, minor) and with it (a patch).
  const formatA = JSON.stringify(formatWithoutWording(a.format));
  const formatB = JSON.stringify(formatWithoutWording(b.format));
  if (formatA !== formatB) {
    changes.push({ bump: "minor", description: `${label}: rule changed from "${a.rule}" to "${b.rule}"` });
  } else if (a.format.kind !== "enum" && JSON.stringify(a.format) !== JSON.stringify(b.format)) {
    changes.push({ bump: "patch", description: `${label}: wording of the rule changed to "${b.rule}"` });
  }
  const strip = (p: ModelParameter) => {
    // Methods, enum values and the format are compared above; the rule text follows the format.
    const { methods: _m, elements: _e, format: _f, rule: _r, ...rest } = p;
    return rest;
  };
  changes.push(...compareRecord(label, strip(a), strip(b)));
  return changes;
}

/** The format with every human-readable description removed (and enum values, which are diffed one by one). */
function formatWithoutWording(format: Format): unknown {
  switch (format.kind) {
    case "text":
      return { ...format, patterns: format.patterns?.map(({ description: _d, ...rest }) => rest) };
    case "enum":
      return { ...format, values: null, suffixDescription: null };
    case "list":
      return { ...format, items: format.items.map(({ description: _d, ...rest }) => rest) };
    case "anyOf":
      return { ...format, alternatives: format.alternatives.map(formatWithoutWording) };
    default:
      return format;
  }
}

export function diffModels(before: Model, after: Model): Change[] {
  const changes: Change[] = [];

  for (const key of ["soapPath", "namespacePolicy", "specNamespace", "serviceName", "portName"] as const) {
    if (before[key] !== after[key]) {
      changes.push({ bump: "major", description: `${key} changed from "${before[key]}" to "${after[key]}"` });
    }
  }

  changes.push(
    ...compareKeyed(
      "operation",
      keyed(before.operations, (o) => o.name),
      keyed(after.operations, (o) => o.name),
      (name, a, b) => {
        const out: Change[] = [];
        const fieldsA = keyed(a.inputFields, (f) => f.name);
        const fieldsB = keyed(b.inputFields, (f) => f.name);
        out.push(
          ...compareKeyed(
            `operation ${name} input field`,
            fieldsA,
            fieldsB,
            (field, fa, fb) => {
              if (!fa.required && fb.required) {
                return [
                  {
                    bump: "major",
                    description: `operation ${name} input field ${field}: optional became required`,
                  },
                ];
              }
              if (fa.required && !fb.required) {
                return [
                  {
                    bump: "minor",
                    description: `operation ${name} input field ${field}: required became optional`,
                  },
                ];
              }
              return [];
            },
            (_field, fb) => (fb.required ? "major" : "minor"),
          ),
        );
        out.push(
          ...compareKeyed(
            `operation ${name} result field`,
            keyed(a.resultFields, (f) => f.name),
            keyed(b.resultFields, (f) => f.name),
            (field, fa, fb) => compareRecord(`operation ${name} result field ${field}`, fa, fb, "major"),
          ),
        );
        const { inputFields: _ia, resultFields: _ra, ...restA } = a;
        const { inputFields: _ib, resultFields: _rb, ...restB } = b;
        out.push(...compareRecord(`operation ${name}`, restA, restB, "major"));
        return out;
      },
    ),
  );

  changes.push(
    ...compareKeyed(
      "type",
      keyed([...before.inputTypes, ...before.resultTypes], (t) => t.tsName),
      keyed([...after.inputTypes, ...after.resultTypes], (t) => t.tsName),
      (name, a, b) =>
        compareKeyed(
          `type ${name} field`,
          keyed(a.fields, (f) => f.name),
          keyed(b.fields, (f) => f.name),
          (field, fa, fb) =>
            !fa.required && fb.required
              ? [{ bump: "major", description: `type ${name} field ${field}: optional became required` }]
              : compareRecord(`type ${name} field ${field}`, fa, fb, "minor"),
          (_field, fb) => (fb.required ? "major" : "minor"),
        ),
    ),
  );

  changes.push(
    ...compareKeyed(
      "field",
      keyed(before.fields, (p) => p.name),
      keyed(after.fields, (p) => p.name),
      (name, a, b) => compareParameter(`field ${name}`, a, b),
    ),
    ...compareKeyed(
      "query option",
      keyed(before.queryOptions, (p) => p.name),
      keyed(after.queryOptions, (p) => p.name),
      (name, a, b) => compareParameter(`query option ${name}`, a, b),
    ),
    ...compareKeyed(
      "result field",
      keyed(before.results, (r) => r.name),
      keyed(after.results, (r) => r.name),
      (name, a, b) => compareRecord(`result field ${name}`, a, b),
    ),
    ...compareKeyed(
      "message kind",
      new Map(Object.entries(before.messageKinds)),
      new Map(Object.entries(after.messageKinds)),
      (name, a, b) => compareRecord(`message kind ${name}`, a, b),
    ),
    ...compareKeyed(
      "kind conflict",
      keyed(before.kindConflicts, (c) => c.id),
      keyed(after.kindConflicts, (c) => c.id),
      (id, a, b) => compareRecord(`kind conflict ${id}`, a, b),
    ),
  );

  changes.push(
    ...compareKeyed(
      "method",
      keyed(before.methods, (m) => m.name),
      keyed(after.methods, (m) => m.name),
      (name, a, b) =>
        compareRecord(
          `method ${name}`,
          { description: a.description, idempotent: a.idempotent },
          { description: b.description, idempotent: b.idempotent },
        ),
    ),
  );
  const methodNames = [...new Set([...Object.keys(before.errors), ...Object.keys(after.errors)])].sort();
  for (const method of methodNames) {
    changes.push(
      ...compareKeyed(
        `${method} error code`,
        keyed(before.errors[method] ?? [], (e) => String(e.code)),
        keyed(after.errors[method] ?? [], (e) => String(e.code)),
        (code, a, b) => compareRecord(`${method} error code ${code}`, a, b, "major"),
      ),
    );
  }
  changes.push(
    ...compareKeyed(
      "status code",
      keyed(before.statuses, (s) => String(s.code)),
      keyed(after.statuses, (s) => String(s.code)),
      (code, a, b) => compareRecord(`status code ${code}`, a, b, "major"),
    ),
    ...compareKeyed(
      "status transition from",
      keyed(before.statusTransitions, (t) => String(t.from)),
      keyed(after.statusTransitions, (t) => String(t.from)),
      (code, a, b) => compareRecord(`status transitions from ${code}`, a, b, "minor"),
    ),
    ...compareKeyed(
      "delivery error",
      keyed(before.deliveryErrors, (d) => String(d.code)),
      keyed(after.deliveryErrors, (d) => String(d.code)),
      (code, a, b) => compareRecord(`delivery error ${code}`, a, b),
    ),
    ...compareKeyed(
      "rate rule",
      keyed(before.rateRules, (r) => r.id),
      keyed(after.rateRules, (r) => r.id),
      (id, a, b) => compareRecord(`rate rule ${id}`, a, b),
    ),
    ...compareKeyed(
      "request limit",
      keyed(before.requestLimits, (l) => l.id),
      keyed(after.requestLimits, (l) => l.id),
      (id, a, b) => compareRecord(`request limit ${id}`, a, b),
    ),
    ...compareRecord("segments", before.segments, after.segments),
  );
  return changes;
}

export function impliedBump(changes: readonly Change[]): Bump | "none" {
  return changes.reduce<Bump | "none">((max, c) => (RANK[c.bump] > RANK[max] ? c.bump : max), "none");
}

export function describeBump(changes: readonly Change[]): string {
  const bump = impliedBump(changes);
  return bump === "none"
    ? "no semantic changes: no changeset needed"
    : `implied changeset: "@smsc-kit/core": ${bump} (${changes.length} change${changes.length === 1 ? "" : "s"})`;
}
