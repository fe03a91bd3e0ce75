/** Multi-document YAML in and out, for rendered manifests. */
import { parseAllDocuments, stringify } from 'yaml';
import type { KubeObject } from './kube/kube-object.ts';

export function parseManifests(text: string, source: string): KubeObject[] {
  const docs = parseAllDocuments(text);
  const out: KubeObject[] = [];
  for (const d of Array.isArray(docs) ? docs : []) {
    if (d.errors.length > 0) throw new Error(`${source}: invalid YAML: ${d.errors[0]!.message.split('\n')[0]}`);
    const v = d.toJS() as KubeObject | null;
    if (v === null || v === undefined) continue;
    if (typeof v !== 'object' || !v.kind || !v.apiVersion || !v.metadata?.name) throw new Error(`${source}: a document is not a Kubernetes object`);
    out.push(v);
  }
  return out;
}

/** YAML for Go tools: version 1.1 quoting, so `yes`/`on` stay strings. */
export function stringifyManifests(objects: readonly KubeObject[]): string {
  return objects.map((o) => `---\n${stringify(o, { version: '1.1', lineWidth: 0 })}`).join('');
}
