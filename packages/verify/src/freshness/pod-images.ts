/**
 * Pure: from listed pods to one ImageUse per container and init container. The running digest is
 * the `@sha256:` the digester wrote into the image, else the repo digest in status imageID (what
 * containerd reports after a pull); a bare config ID (`sha256:…` without a name) says nothing.
 */
import { parseReference, refKey } from '@stateless-ci/core';
import type { ImageUse } from './types.ts';
import { podWorkload, type OwnerIndex, type OwnerRef } from './workloads.ts';

interface ContainerSpec {
  readonly name: string;
  readonly image?: string;
}

interface ContainerStatus {
  readonly name: string;
  readonly image?: string;
  readonly imageID?: string;
  readonly state?: { readonly running?: unknown; readonly waiting?: unknown; readonly terminated?: unknown };
}

/** The fields of a Pod the check reads. */
export interface PodLike {
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly ownerReferences?: readonly OwnerRef[] };
  readonly spec?: {
    readonly containers?: readonly ContainerSpec[];
    readonly initContainers?: readonly ContainerSpec[];
    readonly imagePullSecrets?: readonly { readonly name?: string }[];
  };
  readonly status?: { readonly phase?: string; readonly containerStatuses?: readonly ContainerStatus[]; readonly initContainerStatuses?: readonly ContainerStatus[] };
}

const DIGEST = /@(sha256:[a-f0-9]{64})$/;

/** The repo digest in an imageID such as `docker-pullable://ghcr.io/a/b@sha256:…`, if any. */
export function digestFromImageID(imageID: string | undefined): string | undefined {
  return imageID ? DIGEST.exec(imageID)?.[1] : undefined;
}

/** Waiting (ImagePullBackOff, ErrImagePull, …) means the image may not be usable on this node. */
function isRunning(st: ContainerStatus | undefined, phase: string | undefined): boolean {
  if (!st) return phase === 'Running' || phase === 'Succeeded';
  return !st.state?.waiting;
}

export function imageUses(pods: readonly PodLike[], owners: OwnerIndex): { uses: ImageUse[]; badImages: { pod: string; image: string; reason: string }[] } {
  const uses: ImageUse[] = [];
  const badImages: { pod: string; image: string; reason: string }[] = [];
  for (const pod of pods) {
    const namespace = pod.metadata.namespace ?? 'default';
    const workload = podWorkload(pod.metadata.name, namespace, pod.metadata.ownerReferences, owners);
    const pullSecrets = (pod.spec?.imagePullSecrets ?? []).flatMap((s) => (s.name ? [s.name] : []));
    const groups = [
      { init: false, specs: pod.spec?.containers ?? [], statuses: pod.status?.containerStatuses ?? [] },
      { init: true, specs: pod.spec?.initContainers ?? [], statuses: pod.status?.initContainerStatuses ?? [] },
    ];
    for (const g of groups) {
      for (const c of g.specs) {
        if (!c.image) continue;
        const st = g.statuses.find((s) => s.name === c.name);
        let key: string | undefined;
        let specDigest: string | undefined;
        try {
          const ref = parseReference(c.image);
          key = ref.tag ? refKey({ ...ref, digest: undefined }) : undefined;
          specDigest = ref.digest;
        } catch (e) {
          badImages.push({ pod: `${namespace}/${pod.metadata.name}`, image: c.image, reason: (e as Error).message });
          continue;
        }
        uses.push({
          namespace,
          pod: pod.metadata.name,
          container: c.name,
          init: g.init,
          image: c.image,
          refKey: key,
          runningDigest: specDigest ?? digestFromImageID(st?.imageID),
          running: isRunning(st, pod.status?.phase),
          workload,
          pullSecrets,
        });
      }
    }
  }
  return { uses, badImages };
}

/** Unique refs to resolve, each with the set of running digests seen and whether any use is not running. */
export function uniqueRefs(uses: readonly ImageUse[]): Map<string, { running: Set<string>; anyNotRunning: boolean; namespaces: Set<string> }> {
  const out = new Map<string, { running: Set<string>; anyNotRunning: boolean; namespaces: Set<string> }>();
  for (const u of uses) {
    if (!u.refKey) continue;
    let e = out.get(u.refKey);
    if (!e) out.set(u.refKey, (e = { running: new Set(), anyNotRunning: false, namespaces: new Set() }));
    if (u.runningDigest) e.running.add(u.runningDigest);
    if (!u.running) e.anyNotRunning = true;
    e.namespaces.add(u.namespace);
  }
  return out;
}
