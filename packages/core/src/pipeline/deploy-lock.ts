/**
 * One deploy per cluster at a time, held in the cluster as a coordination.k8s.io Lease. A holder
 * renews it while it runs; a lease left by a crashed run expires after its duration and is then
 * taken over (with a resourceVersion precondition, so two takers cannot both win).
 */
import { KubeApiError, RefusedError } from '../errors.ts';
import type { Kube } from '../kube/kube.ts';
import type { KubeObject } from '../kube/kube-object.ts';
import { LOCK_NAME, STATE_NAMESPACE, stateNamespaceObject } from './state-namespace.ts';

export interface LeaseObject extends KubeObject {
  spec?: { holderIdentity?: string; leaseDurationSeconds?: number; acquireTime?: string; renewTime?: string; leaseTransitions?: number };
}

export interface LockOptions {
  /** @default 120 */
  readonly durationSeconds?: number;
  readonly now?: () => Date;
}

const microTime = (d: Date) => d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');

/** Pure: is this lease held by someone right now, and since when. */
export function leaseState(lease: LeaseObject | undefined, now: Date): { held: false } | { held: true; holder: string; ageSeconds: number; expiresInSeconds: number } {
  const spec = lease?.spec;
  if (!spec?.holderIdentity || !spec.renewTime) return { held: false };
  const renewed = Date.parse(spec.renewTime);
  const expires = renewed + (spec.leaseDurationSeconds ?? 0) * 1000;
  if (expires <= now.getTime()) return { held: false };
  const acquired = Date.parse(spec.acquireTime ?? spec.renewTime);
  return { held: true, holder: spec.holderIdentity, ageSeconds: Math.round((now.getTime() - acquired) / 1000), expiresInSeconds: Math.round((expires - now.getTime()) / 1000) };
}

export class DeployLock {
  readonly #kube: Kube;
  readonly #holder: string;
  readonly #duration: number;
  readonly #now: () => Date;
  #timer: NodeJS.Timeout | undefined;

  constructor(kube: Kube, holder: string, opts: LockOptions = {}) {
    this.#kube = kube;
    this.#holder = holder;
    this.#duration = opts.durationSeconds ?? 120;
    this.#now = opts.now ?? (() => new Date());
  }

  #lease(extra: Partial<NonNullable<LeaseObject['spec']>>): LeaseObject {
    const now = microTime(this.#now());
    return {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: LOCK_NAME, namespace: STATE_NAMESPACE },
      spec: { holderIdentity: this.#holder, leaseDurationSeconds: this.#duration, renewTime: now, ...extra },
    };
  }

  /** Takes the lock or throws RefusedError naming the holder and its age. */
  async acquire(): Promise<void> {
    if (!(await this.#kube.read({ apiVersion: 'v1', kind: 'Namespace', name: STATE_NAMESPACE }))) {
      await this.#kube.apply(stateNamespaceObject());
    }
    const current = await this.#kube.read<LeaseObject>({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', name: LOCK_NAME, namespace: STATE_NAMESPACE });
    const state = leaseState(current, this.#now());
    if (state.held && state.holder !== this.#holder) throw this.#refused(state.holder, state.ageSeconds, state.expiresInSeconds);
    const acquireTime = microTime(this.#now());
    try {
      if (!current) await this.#kube.create(this.#lease({ acquireTime, leaseTransitions: 0 }));
      else await this.#kube.apply(this.#lease({ acquireTime, leaseTransitions: (current.spec?.leaseTransitions ?? 0) + 1 }), { ifResourceVersion: current.metadata.resourceVersion });
    } catch (e) {
      if (e instanceof KubeApiError && e.code === 409) {
        const winner = await this.#kube.read<LeaseObject>({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', name: LOCK_NAME, namespace: STATE_NAMESPACE });
        const s = leaseState(winner, this.#now());
        throw this.#refused(s.held ? s.holder : 'another run', s.held ? s.ageSeconds : 0, s.held ? s.expiresInSeconds : this.#duration);
      }
      throw e;
    }
    this.#timer = setInterval(() => void this.renew().catch(() => undefined), (this.#duration * 1000) / 3);
    this.#timer.unref();
  }

  #refused(holder: string, age: number, expiresIn: number): RefusedError {
    return new RefusedError(
      `another deploy holds this cluster's lock: ${holder}, for ${age}s (Lease ${STATE_NAMESPACE}/${LOCK_NAME}). ` +
        `Wait for it to finish; if that run crashed, the lock expires in ${expiresIn}s`,
    );
  }

  async renew(): Promise<void> {
    await this.#kube.apply(this.#lease({}));
  }

  /** Releases by clearing the holder (only if still ours). */
  async release(): Promise<void> {
    clearInterval(this.#timer);
    const current = await this.#kube.read<LeaseObject>({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', name: LOCK_NAME, namespace: STATE_NAMESPACE });
    if (current?.spec?.holderIdentity !== this.#holder) return;
    await this.#kube.delete({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', name: LOCK_NAME, namespace: STATE_NAMESPACE });
  }
}
