/** A short, flat, human diff between two objects (live vs. server-side dry-run). Pure. */
import type { KubeObject } from '@stateless-ci/core';

/** Fields the server owns or that change on every write; never shown as a difference. */
export function normalize(o: KubeObject): Record<string, unknown> {
  const c = structuredClone(o) as Record<string, unknown> & KubeObject;
  const { managedFields: _m, resourceVersion: _r, uid: _u, generation: _g, creationTimestamp: _c, ...metadata } = c.metadata as KubeObject['metadata'] & { managedFields?: unknown };
  const annotations = { ...metadata.annotations };
  delete annotations['deployment.kubernetes.io/revision'];
  if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
  else delete metadata.annotations;
  c.metadata = metadata as KubeObject['metadata'];
  delete c.status;
  return c;
}

/** Flattens to `a.b[0].c` → JSON value; list items keyed by `name` when they have one. */
export function flatten(v: unknown, prefix = '', out = new Map<string, string>()): Map<string, string> {
  if (Array.isArray(v)) {
    if (v.length === 0) out.set(prefix, '[]');
    v.forEach((item, i) => {
      const name = item && typeof item === 'object' && typeof (item as { name?: unknown }).name === 'string' ? (item as { name: string }).name : undefined;
      flatten(item, `${prefix}[${name ?? i}]`, out);
    });
  } else if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
    if (entries.length === 0) out.set(prefix, '{}');
    for (const [k, x] of entries) flatten(x, prefix ? `${prefix}.${k}` : k, out);
  } else {
    out.set(prefix, JSON.stringify(v));
  }
  return out;
}

const SECRET_PATH = /^(data|stringData)\./;

/** `- path: old` / `+ path: new` lines, secrets' values hidden, at most `max` lines. */
export function diffLines(before: KubeObject, after: KubeObject, max = 40): string[] {
  const a = flatten(normalize(before));
  const b = flatten(normalize(after));
  const secret = after.kind === 'Secret';
  const show = (path: string, value: string) => (secret && SECRET_PATH.test(path) ? '(redacted)' : value);
  const lines: string[] = [];
  for (const path of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const x = a.get(path);
    const y = b.get(path);
    if (x === y) continue;
    if (x !== undefined) lines.push(`- ${path}: ${show(path, x)}`);
    if (y !== undefined) lines.push(`+ ${path}: ${show(path, y)}`);
  }
  return lines.length > max ? [...lines.slice(0, max), `… ${lines.length - max} more lines`] : lines;
}
