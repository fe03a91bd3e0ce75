/**
 * Pure structural diff for plans: objects are flattened to `path: value` lines and compared, so a
 * plan shows exactly which fields change (`- spec.x: 1`, `+ spec.x: 2`), capped to stay readable.
 */

export function flatten(value: unknown, prefix = '', out: Map<string, string> = new Map()): Map<string, string> {
  if (Array.isArray(value)) {
    if (value.length === 0) out.set(prefix, '[]');
    value.forEach((v, i) => flatten(v, `${prefix}[${i}]`, out));
  } else if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0 && prefix) out.set(prefix, '{}');
    for (const [k, v] of entries) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (value !== undefined) {
    out.set(prefix, JSON.stringify(value));
  }
  return out;
}

/** `- path: old` / `+ path: new` lines, sorted by path, at most `max` (plus a count of the rest). */
export function diffLines(before: unknown, after: unknown, max = 20): string[] {
  const a = flatten(before ?? {});
  const b = flatten(after ?? {});
  const paths = [...new Set([...a.keys(), ...b.keys()])].sort();
  const lines: string[] = [];
  for (const p of paths) {
    const x = a.get(p);
    const y = b.get(p);
    if (x === y) continue;
    if (x !== undefined) lines.push(`- ${p}: ${x}`);
    if (y !== undefined) lines.push(`+ ${p}: ${y}`);
  }
  if (lines.length <= max) return lines;
  return [...lines.slice(0, max), `… ${lines.length - max} more changed lines`];
}
