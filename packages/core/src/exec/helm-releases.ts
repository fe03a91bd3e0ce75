/**
 * Reads helm's release records straight from the API server (storage driver "secret", the default
 * of helm 3 and 4): one list call instead of a helm process, which costs about 100 ms of CPU on a
 * small machine, and a deploy asks a dozen times. Only reads: every write stays with the helm CLI.
 *
 * Record format: Secret `sh.helm.release.v1.<name>.v<revision>`, labels owner=helm, name, status,
 * version; `data.release` is base64(gzip(JSON of the release)).
 */
import { gunzipSync } from 'node:zlib';
import type { Kube } from '../kube/kube.ts';
import type { KubeObject } from '../kube/kube-object.ts';

/** The fields of a stored release that the tool reads. */
export interface StoredRelease {
  readonly name: string;
  readonly namespace: string;
  readonly version: number;
  readonly info: { readonly status: string; readonly description?: string };
  readonly chart: { readonly metadata: { readonly name: string; readonly version: string; readonly appVersion?: string } };
  /** User-supplied values. */
  readonly config?: Record<string, unknown> | null;
  readonly manifest?: string;
}

/** Statuses `helm list --deployed --failed --pending` shows. */
export const LISTED_STATUSES: readonly string[] = ['deployed', 'failed', 'pending-install', 'pending-upgrade', 'pending-rollback'];

type ReleaseSecret = KubeObject & { data?: { release?: string } };

/** Decodes one release Secret's payload; throws naming the Secret when it is not a helm record. */
export function decodeRelease(secret: ReleaseSecret): StoredRelease {
  const payload = secret.data?.release;
  const where = `Secret ${secret.metadata.namespace}/${secret.metadata.name}`;
  if (!payload) throw new Error(`${where} has no data.release: not a helm release record`);
  // The API returns data base64-encoded; helm's payload inside is base64 again, then gzip (magic 1f 8b).
  const inner = Buffer.from(Buffer.from(payload, 'base64').toString('utf8'), 'base64');
  const json = inner[0] === 0x1f && inner[1] === 0x8b ? gunzipSync(inner) : inner;
  try {
    return JSON.parse(json.toString('utf8')) as StoredRelease;
  } catch {
    throw new Error(`${where}: data.release is not a helm release record`);
  }
}

export interface ReleaseRevision {
  readonly revision: number;
  readonly status: string;
  readonly load: () => StoredRelease;
}

export class HelmReleaseStore {
  readonly #kube: Kube;
  constructor(kube: Kube) {
    this.#kube = kube;
  }

  /** Every stored revision of `release`, oldest first; each decoded only when loaded. */
  async revisions(release: string, namespace: string): Promise<ReleaseRevision[]> {
    const secrets = await this.#kube.list<ReleaseSecret>('v1', 'Secret', { namespace, labelSelector: `owner=helm,name=${release}` });
    return secrets
      .filter((s) => s.type === 'helm.sh/release.v1')
      .map((s) => {
        let decoded: StoredRelease | undefined;
        return { revision: Number(s.metadata.labels?.version), status: s.metadata.labels?.status ?? '', load: () => (decoded ??= decodeRelease(s)) };
      })
      .sort((a, b) => a.revision - b.revision);
  }

  /** The newest revision, as `helm get` sees it; undefined when there is none. */
  async latest(release: string, namespace: string): Promise<ReleaseRevision | undefined> {
    return (await this.revisions(release, namespace)).at(-1);
  }
}

/** The storage driver helm uses in this environment: the store applies only to "secret(s)". */
export const usesSecretDriver = (env: Readonly<Record<string, string | undefined>>): boolean => ['', 'secret', 'secrets'].includes(env.HELM_DRIVER ?? '');
