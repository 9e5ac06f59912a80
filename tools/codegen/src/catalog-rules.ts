import type { Catalog, Format } from "./catalog-schema.js";

// Consistency rules inside catalog.yaml that a per-key schema cannot express (references between sections,
// unique codes, patterns that compile). Each finding names the YAML path.

function checkRegex(source: string, where: string, problems: string[]): void {
  try {
    new RegExp(source);
  } catch (error) {
    problems.push(`${where}: not a valid regular expression (${(error as Error).message})`);
  }
}

function checkFormat(format: Format, where: string, problems: string[]): void {
  switch (format.kind) {
    case "text":
      format.patterns?.forEach((p, i) => {
        checkRegex(p.regex, `${where}.patterns[${i}].regex`, problems);
      });
      if (
        format.minLength !== undefined &&
        format.maxLength !== undefined &&
        format.minLength > format.maxLength
      ) {
        problems.push(`${where}: minLength ${format.minLength} exceeds maxLength ${format.maxLength}`);
      }
      break;
    case "integer":
    case "decimal":
      if (format.min !== undefined && format.max !== undefined && format.min > format.max) {
        problems.push(`${where}: min ${format.min} exceeds max ${format.max}`);
      }
      break;
    case "enum": {
      const seen = new Set<string>();
      format.values.forEach((v, i) => {
        if (seen.has(v.value))
          problems.push(`${where}.values[${i}]: duplicate value ${JSON.stringify(v.value)}`);
        seen.add(v.value);
      });
      if (format.suffixPattern) checkRegex(format.suffixPattern, `${where}.suffixPattern`, problems);
      break;
    }
    case "list":
      format.items.forEach((item, i) => {
        checkRegex(item.pattern, `${where}.items[${i}].pattern`, problems);
      });
      break;
    case "anyOf":
      format.alternatives.forEach((alt, i) => {
        checkFormat(alt, `${where}.alternatives[${i}]`, problems);
      });
      break;
  }
}

function duplicates(codes: readonly number[]): number[] {
  return codes.filter((c, i) => codes.indexOf(c) !== i);
}

export function checkCatalogRules(catalog: Catalog): string[] {
  const problems: string[] = [];
  const parameterNames = new Set([...Object.keys(catalog.fields), ...Object.keys(catalog.queryOptions)]);

  for (const name of Object.keys(catalog.queryOptions)) {
    if (catalog.fields[name])
      problems.push(`queryOptions.${name}: also defined in fields (names must be unique)`);
  }
  const sections = [
    ["fields", catalog.fields],
    ["queryOptions", catalog.queryOptions],
  ] as const;
  for (const [section, entries] of sections) {
    for (const [name, entry] of Object.entries(entries)) {
      const where = `${section}.${name}`;
      checkFormat(entry.format, `${where}.format`, problems);
      for (const ref of [
        ...(entry.requires ?? []),
        ...(entry.ignoredWithout ?? []),
        ...(entry.replaces ?? []),
      ]) {
        if (!parameterNames.has(ref)) problems.push(`${where}: refers to unknown parameter "${ref}"`);
      }
      const format: Format = entry.format;
      const fallback = entry.default;
      if (fallback != null && format.kind === "enum" && !format.values.some((v) => v.value === fallback)) {
        problems.push(`${where}.default: ${JSON.stringify(fallback)} is not one of the enum values`);
      }
    }
  }

  for (const [name, option] of Object.entries(catalog.queryOptions)) {
    if (option.kind !== undefined && !catalog.messageKinds[option.kind]) {
      problems.push(`queryOptions.${name}.kind: unknown message kind "${option.kind}"`);
    }
  }
  for (const [kind, entry] of Object.entries(catalog.messageKinds)) {
    const option = catalog.queryOptions[entry.option];
    if (!option) {
      problems.push(`messageKinds.${kind}.option: unknown query option "${entry.option}"`);
      continue;
    }
    if (option.kind !== kind)
      problems.push(`messageKinds.${kind}: queryOptions.${entry.option}.kind must be "${kind}"`);
    if (option.format.kind === "enum") {
      const values = option.format.values.map((v) => v.value);
      for (const value of entry.values) {
        if (!values.includes(value)) {
          problems.push(
            `messageKinds.${kind}.values: ${JSON.stringify(value)} is not a value of queryOptions.${entry.option}`,
          );
        }
      }
    }
  }
  catalog.kindConflicts.forEach((conflict, i) => {
    for (const kind of conflict.kinds) {
      if (!catalog.messageKinds[kind])
        problems.push(`kindConflicts[${i}].kinds: unknown message kind "${kind}"`);
    }
  });

  for (const [method, errors] of Object.entries(catalog.errors)) {
    for (const code of duplicates(errors.map((e) => e.code))) {
      problems.push(`errors.${method}: code ${code} appears more than once`);
    }
  }
  const statusCodes = catalog.statuses.map((s) => s.code);
  for (const code of duplicates(statusCodes)) problems.push(`statuses: code ${code} appears more than once`);
  for (const code of duplicates(catalog.deliveryErrors.map((e) => e.code))) {
    problems.push(`deliveryErrors: code ${code} appears more than once`);
  }
  for (const code of duplicates(catalog.statusTransitions.map((t) => t.from))) {
    problems.push(`statusTransitions: from ${code} appears more than once`);
  }
  catalog.statusTransitions.forEach((t, i) => {
    for (const code of [t.from, ...t.to]) {
      if (!statusCodes.includes(code)) problems.push(`statusTransitions[${i}]: unknown status code ${code}`);
    }
  });

  const ruleIds = catalog.rateRules.map((r) => r.id);
  catalog.rateRules.forEach((rule, i) => {
    if (ruleIds.indexOf(rule.id) !== i)
      problems.push(`rateRules[${i}].id: "${rule.id}" appears more than once`);
    if ("error" in rule.outcome) {
      const code = rule.outcome.error;
      const methods = rule.method === "any" ? Object.keys(catalog.errors) : [rule.method];
      for (const m of methods) {
        if (!(catalog.errors[m] ?? []).some((e) => e.code === code)) {
          problems.push(`rateRules[${i}].outcome.error: ${code} is not in errors.${m}`);
        }
      }
    } else if (!statusCodes.includes(rule.outcome.status)) {
      problems.push(`rateRules[${i}].outcome.status: ${rule.outcome.status} is not in statuses`);
    }
  });

  const signature = catalog.callback.signature;
  for (const algorithm of signature.algorithms) {
    if (signature.signatureFields[algorithm] === undefined)
      problems.push(`callback.signature.signatureFields: no form field for algorithm "${algorithm}"`);
  }
  for (const field of new Set(signature.fields.filter((f, i) => signature.fields.indexOf(f) !== i))) {
    problems.push(`callback.signature.fields: "${field}" appears more than once`);
  }

  const basic = [...catalog.segments.gsm7Basic];
  const extension = [...catalog.segments.gsm7Extension];
  for (const ch of new Set(basic.filter((c, i) => basic.indexOf(c) !== i))) {
    problems.push(`segments.gsm7Basic: ${JSON.stringify(ch)} appears more than once`);
  }
  for (const ch of extension) {
    if (basic.includes(ch))
      problems.push(`segments.gsm7Extension: ${JSON.stringify(ch)} is also in gsm7Basic`);
  }
  return problems;
}
