/**
 * The four actions.github.com CRDs. They come from the controller chart's `crds/` directory
 * (helm template --include-crds), are larger than the 256 KiB last-applied annotation allows, and
 * helm never upgrades them, so the tool writes them itself, whole (created, or replaced at their
 * resourceVersion: no field of an older schema stays behind), and stamps each with the chart
 * version and a hash of its spec. A later plan compares those stamps to decide whether the
 * CRDs changed, which is what forces ARC's documented upgrade path.
 */
import { createHash } from 'node:crypto';
import { realRetryIO, type Kube, type KubeObject } from '@stateless-ci/core';
import { CRD_CHART_VERSION_ANNOTATION, CRD_NAMES, CRD_SPEC_HASH_ANNOTATION } from './names.ts';

export const CRD_API = 'apiextensions.k8s.io/v1';

/**
 * JSON with sorted keys, so the hash does not depend on key order. The hash is stamped on every
 * cluster's CRDs, so this output must never change: it is exactly
 * `{${keys.sort().map(k => JSON.stringify(k) + ':' + canonical(v[k])).join(',')}}` for objects,
 * `[${items.map(canonical).join(',')}]` for arrays and JSON.stringify for the rest (a test holds it
 * to that definition), built by concatenation rather than nested map/join: half the CPU on ARC's
 * 2.8 MB of schemas.
 */
export function canonical(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) {
    let out = '[';
    for (let i = 0; i < v.length; i++) {
      if (i > 0) out += ',';
      const item = canonical(v[i]);
      if (item !== undefined) out += item; // join() writes nothing for undefined
    }
    return `${out}]`;
  }
  const keys = Object.keys(v).sort();
  let out = '{';
  for (let i = 0; i < keys.length; i++) {
    if (i > 0) out += ',';
    out += `${JSON.stringify(keys[i])}:${canonical((v as Record<string, unknown>)[keys[i]!])}`;
  }
  return `${out}}`;
}

export const specHash = (crd: KubeObject): string => createHash('sha256').update(canonical(crd.spec)).digest('hex');

/** The four ARC CRDs in a rendered chart; throws if one is missing. */
function pickCrds(rendered: readonly KubeObject[], chartVersion: string): KubeObject[] {
  const found = rendered.filter((o) => o.kind === 'CustomResourceDefinition' && CRD_NAMES.includes(o.metadata.name));
  const missing = CRD_NAMES.filter((n) => !found.some((o) => o.metadata.name === n));
  if (missing.length > 0) throw new Error(`the controller chart ${chartVersion} rendered no CRD ${missing.join(', ')}: is this the gha-runner-scale-set-controller chart?`);
  return found;
}

/**
 * Names the result of `crdSpecHashes` where it is kept across runs (`Helm.keep`). Change it if
 * `canonical` or `specHash` ever changes, which they must not.
 */
export const CRD_SPEC_HASHES_KEPT_AS = 'arc crd spec hashes (canonical JSON, sha256) v1';

/** CRD name → `specHash`, for the CRDs of a rendered chart (the CRDs that are there). */
export function crdSpecHashes(rendered: readonly KubeObject[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const o of rendered) if (o.kind === 'CustomResourceDefinition' && CRD_NAMES.includes(o.metadata.name)) out[o.metadata.name] = specHash(o);
  return out;
}

/**
 * Picks the four ARC CRDs out of a rendered chart and stamps them; throws if one is missing.
 * `hashes` (from `crdSpecHashes` of the same render, possibly kept from an earlier run) saves
 * hashing 2.8 MB of schema; a CRD it does not name is hashed here.
 */
export function arcCrds(rendered: readonly KubeObject[], chartVersion: string, hashes?: Readonly<Record<string, unknown>> | null): KubeObject[] {
  return pickCrds(rendered, chartVersion).map((crd) => {
    const kept = hashes && typeof hashes === 'object' ? hashes[crd.metadata.name] : undefined;
    return {
      ...crd,
      metadata: {
        ...crd.metadata,
        annotations: { ...crd.metadata.annotations, [CRD_CHART_VERSION_ANNOTATION]: chartVersion, [CRD_SPEC_HASH_ANNOTATION]: typeof kept === 'string' && SHA256_HEX.test(kept) ? kept : specHash(crd) },
      },
    };
  });
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** What a deploy decides on: presence and our stamps, from the CRD's metadata alone. */
export interface CrdMeta {
  readonly name: string;
  readonly present: boolean;
  /** From our annotation; undefined when helm or someone else installed it. */
  readonly chartVersion?: string;
  readonly specHash?: string;
  readonly terminating: boolean;
}

/** What verify checks in addition, from the spec. */
export interface CrdState extends CrdMeta {
  /** v1alpha1 served. */
  readonly served: boolean;
  /** For autoscalingrunnersets: does the schema know `status.phase` (0.14+)? */
  readonly hasPhase?: boolean;
}

export const crdPath = (name: string): string => `/apis/${CRD_API}/customresourcedefinitions/${name}`;

/** Pure: works on a full CRD or on its metadata only (PartialObjectMetadata). */
export function crdMeta(name: string, live: KubeObject | undefined): CrdMeta {
  if (!live) return { name, present: false, terminating: false };
  const a = live.metadata.annotations ?? {};
  return { name, present: true, chartVersion: a[CRD_CHART_VERSION_ANNOTATION], specHash: a[CRD_SPEC_HASH_ANNOTATION], terminating: Boolean(live.metadata.deletionTimestamp) };
}

interface CrdVersion {
  name: string;
  served?: boolean;
  schema?: { openAPIV3Schema?: { properties?: { status?: { properties?: Record<string, unknown> } } } };
}

export function crdState(name: string, live: KubeObject | undefined): CrdState {
  if (!live) return { ...crdMeta(name, live), served: false };
  const versions = ((live.spec as { versions?: CrdVersion[] } | undefined)?.versions ?? []) as CrdVersion[];
  const v1 = versions.find((v) => v.name === 'v1alpha1');
  return {
    ...crdMeta(name, live),
    served: v1?.served === true,
    ...(name.startsWith('autoscalingrunnersets.') ? { hasPhase: Boolean(v1?.schema?.openAPIV3Schema?.properties?.status?.properties?.phase) } : {}),
  };
}

/** Names of the CRDs whose live copy is absent or differs from the desired one. */
export function changedCrds(desired: readonly KubeObject[], live: readonly CrdMeta[]): string[] {
  return desired
    .filter((d) => {
      const l = live.find((x) => x.name === d.metadata.name);
      return !l?.present || l.terminating || l.specHash !== d.metadata.annotations?.[CRD_SPEC_HASH_ANNOTATION];
    })
    .map((d) => d.metadata.name);
}

/** Full CRDs (700 KB each for ARC), for verify. */
export async function readCrdStates(kube: Kube): Promise<CrdState[]> {
  return Promise.all(CRD_NAMES.map(async (name) => crdState(name, await kube.read({ apiVersion: CRD_API, kind: 'CustomResourceDefinition', name }))));
}

/**
 * Metadata only (a few KB each), for plan, apply and rollback decisions. Listed by name rather than
 * read: a list comes from the API server's watch cache, a GET decodes the 700 KB object from etcd
 * (60 ms of API server CPU for the four, 1 ms listed).
 */
export async function readCrdMeta(kube: Kube): Promise<CrdMeta[]> {
  return Promise.all(
    CRD_NAMES.map(async (name) => crdMeta(name, (await kube.listMetadataAt(`/apis/${CRD_API}/customresourcedefinitions?fieldSelector=${encodeURIComponent(`metadata.name=${name}`)}`))[0])),
  );
}

export interface ServedWait {
  /** @default 120000 */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  /** @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
  /**
   * Resolves when someone waits for this (the deploy reached ARC's turn while the staged CRDs are
   * not served yet): polling then goes from every 100 ms to every 20 ms and the current pause ends.
   * Until then slower polls cost the busy API server less.
   */
  readonly needed?: Promise<void>;
}

const SERVED_POLL_MS = 100;
const SERVED_POLL_NEEDED_MS = 20;

/** `group/version` → the plurals these CRDs serve there. Pure. */
export function servedPlurals(crds: readonly KubeObject[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const crd of crds) {
    const spec = crd.spec as { group: string; names: { plural: string }; versions: { name: string; served: boolean }[] };
    for (const v of spec.versions.filter((x) => x.served)) {
      const gv = `${spec.group}/${v.name}`;
      out.set(gv, [...(out.get(gv) ?? []), spec.names.plural]);
    }
  }
  return out;
}

/**
 * Waits until the API server serves every resource of these CRDs: discovery lists it and a list
 * of it answers 200. A created CRD is served only once it is Established, which under load takes a
 * second or more after the create returns; until then helm fails with "no matches for kind",
 * discovery-based clients with "unrecognized kind", and lists with 429 "storage is
 * (re)initializing". Polls group-version documents and `limit=1` lists (a few KB each), never the
 * CRDs themselves (700 KB each for ARC).
 */
export async function waitServed(kube: Kube, crds: readonly KubeObject[], o: ServedWait = {}): Promise<void> {
  const timeoutMs = o.timeoutMs ?? 120_000;
  const sleep = o.sleep ?? realRetryIO.sleep;
  const deadline = Date.now() + timeoutMs;
  let pending = [...servedPlurals(crds)];
  let needed = false;
  const neededNow = o.needed?.then(() => {
    needed = true;
  });
  while (pending.length > 0) {
    if (o.signal?.aborted) throw new Error('aborted while waiting for the CRDs to be served');
    const still: typeof pending = [];
    for (const [gv, plurals] of pending) {
      const res = await kube.raw('GET', `/apis/${gv}`);
      const listed = res.status === 200 ? new Set((JSON.parse(res.body) as { resources: { name: string }[] }).resources.map((r) => r.name)) : new Set<string>();
      // Listed in discovery is not yet enough: the storage answers 429 "(re)initializing" a moment longer.
      const ready = await Promise.all(plurals.map(async (p) => listed.has(p) && (await kube.raw('GET', `/apis/${gv}/${p}?limit=1`)).status === 200));
      const missing = plurals.filter((_p, i) => !ready[i]);
      if (missing.length > 0) still.push([gv, missing]);
    }
    pending = still;
    if (pending.length === 0) return;
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${Math.round(timeoutMs / 1000)}s waiting for the API server to serve ${pending.map(([gv, p]) => `${gv} ${p.join(', ')}`).join('; ')}: check \`kubectl get crd ${crds.map((c) => c.metadata.name).join(' ')}\` for Established=False and its reason`);
    }
    if (needed) await sleep(SERVED_POLL_NEEDED_MS);
    else await Promise.race([sleep(SERVED_POLL_MS), ...(neededNow ? [neededNow] : [])]);
  }
}

/**
 * Creates the CRDs, or replaces them whole in place, all at once: the API server takes ~0.3 s per
 * ARC CRD. Returns once the API server serves them, so the helm releases that follow can create
 * AutoscalingRunnerSets.
 */
export async function applyCrds(kube: Kube, crds: readonly KubeObject[], o: ServedWait = {}): Promise<void> {
  // Created, or replaced whole: the tool owns these CRDs (see the file's comment). Metadata-only
  // answers: the API server does not send each 700 KB CRD back, nor do we parse it.
  await Promise.all(crds.map((crd) => kube.writeMetadataAt(crdPath(crd.metadata.name), crd)));
  await waitServed(kube, crds, o);
}

/** Deletes the CRDs and waits until the API server has removed them (with all their objects). */
export async function deleteCrds(kube: Kube, names: readonly string[], timeoutMs: number, signal?: AbortSignal): Promise<void> {
  for (const name of names) await kube.delete({ apiVersion: CRD_API, kind: 'CustomResourceDefinition', name });
  await kube.waitFor<KubeObject, true>({
    path: '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
    until: (_t, _o, all) => ![...all.values()].some((o) => names.includes(o.metadata.name)) || undefined,
    timeoutMs,
    signal,
    description: `CRDs ${names.join(', ')} to be removed (objects with finalizers block it: check \`kubectl get ${names.map((n) => n.split('.')[0]).join(',')} -A\`)`,
  });
}

/** The documented "replace": delete, wait, then create the new ones. */
export async function replaceCrds(kube: Kube, crds: readonly KubeObject[], timeoutMs: number, signal?: AbortSignal): Promise<void> {
  await deleteCrds(kube, crds.map((c) => c.metadata.name), timeoutMs, signal);
  await applyCrds(kube, crds, { timeoutMs, signal });
}
