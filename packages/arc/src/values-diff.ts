/** Short human diffs of helm values (`- path: old` / `+ path: new`), and equality by content. */

function flatten(v: unknown, prefix: string, out: Map<string, string>): void {
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    const entries = Object.entries(v as Record<string, unknown>);
    if (entries.length === 0 && prefix) out.set(prefix, '{}');
    for (const [k, x] of entries) flatten(x, prefix ? `${prefix}.${k}` : k, out);
    return;
  }
  if (Array.isArray(v)) {
    if (v.length === 0) out.set(prefix, '[]');
    v.forEach((x, i) => flatten(x, `${prefix}[${i}]`, out));
    return;
  }
  if (v !== undefined && v !== null) out.set(prefix, JSON.stringify(v));
}

export function flattenValues(v: unknown): Map<string, string> {
  const out = new Map<string, string>();
  flatten(v, '', out);
  return out;
}

export function valuesDiff(before: unknown, after: unknown): string[] {
  const a = flattenValues(before);
  const b = flattenValues(after);
  const lines: string[] = [];
  for (const k of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    if (a.get(k) === b.get(k)) continue;
    if (a.has(k)) lines.push(`- ${k}: ${a.get(k)}`);
    if (b.has(k)) lines.push(`+ ${k}: ${b.get(k)}`);
  }
  return lines;
}

export const sameValues = (a: unknown, b: unknown): boolean => valuesDiff(a, b).length === 0;
