/**
 * Locates the pinned binaries: $KUBEBUILDER_ASSETS, then the build cache
 * (${STATELESS_CI_CACHE:-~/.cache/stateless-ci}/bin, version markers must match versions.env),
 * then PATH. Missing ones are built with build-binaries.sh, which needs the Go module proxy and
 * therefore cannot run inside the isolated network namespace.
 */
import { accessSync, constants, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { BinaryNotFoundError } from './errors.ts';
import type { Runner } from './run.ts';
import { buildScript, type Versions } from './versions.ts';

export type BinaryName = 'etcd' | 'kube-apiserver' | 'kube-controller-manager' | 'kube-scheduler' | 'kubectl' | 'kwok' | 'helm';
export const binaryNames: readonly BinaryName[] = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kubectl', 'kwok', 'helm'];

export type BinaryPaths = Readonly<Record<BinaryName, string>>;
type Env = Readonly<Record<string, string | undefined>>;

export function cacheDir(env: Env = process.env): string {
  return env.STATELESS_CI_CACHE || join(homedir(), '.cache', 'stateless-ci');
}

export function expectedVersion(name: BinaryName, v: Versions): string {
  switch (name) {
    case 'etcd':
      return v.etcd;
    case 'kwok':
      return v.kwok;
    case 'helm':
      return v.helm;
    default:
      return v.kubernetes;
  }
}

const executable = (file: string): boolean => {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

const markerMatches = (dir: string, name: BinaryName, version: string): boolean => {
  try {
    return readFileSync(join(dir, `.${name}.version`), 'utf8').trim() === version;
  } catch {
    return false;
  }
};

/** Pure lookup; returns the names it could not find. */
export function locateBinaries(v: Versions, env: Env = process.env): { found: Partial<Record<BinaryName, string>>; missing: BinaryName[] } {
  const found: Partial<Record<BinaryName, string>> = {};
  const cache = join(cacheDir(env), 'bin');
  const pathDirs = (env.PATH ?? '').split(delimiter).filter(Boolean);
  for (const name of binaryNames) {
    const candidates: string[] = [];
    if (env.KUBEBUILDER_ASSETS) candidates.push(join(env.KUBEBUILDER_ASSETS, name));
    if (markerMatches(cache, name, expectedVersion(name, v))) candidates.push(join(cache, name));
    // PATH only for the clients; the server side must be the pinned build.
    if (name === 'kubectl' || name === 'helm') candidates.push(...pathDirs.map((d) => join(d, name)));
    const hit = candidates.find(executable);
    if (hit) found[name] = hit;
  }
  return { found, missing: binaryNames.filter((n) => !found[n]) };
}

export interface EnsureOptions {
  readonly versions: Versions;
  readonly run: Runner;
  readonly log: (line: string) => void;
  /** False inside the isolated namespace: the build needs the Go module proxy. */
  readonly mayBuild: boolean;
  readonly env?: Env;
}

export async function ensureBinaries(o: EnsureOptions): Promise<BinaryPaths> {
  const env = o.env ?? process.env;
  let { found, missing } = locateBinaries(o.versions, env);
  if (missing.length && o.mayBuild) {
    o.log(`building missing binaries (${missing.join(', ')}) with ${buildScript}; a cold kubernetes build takes 15-25 min`);
    await o.run(['bash', buildScript], { env: { ...env } as Record<string, string> });
    ({ found, missing } = locateBinaries(o.versions, env));
  }
  if (missing.length) {
    throw new BinaryNotFoundError(
      `missing harness binaries: ${missing.join(', ')}. Build them OUTSIDE the network namespace with ` +
        `\`bash ${buildScript}\` (cache: ${join(cacheDir(env), 'bin')}), or point KUBEBUILDER_ASSETS at a directory holding them.`,
    );
  }
  return found as BinaryPaths;
}

/** Directories to put first on PATH so kubectl and helm resolve to the pinned builds. */
export function binPathDirs(paths: BinaryPaths): string[] {
  return [...new Set([dirname(paths.kubectl), dirname(paths.helm), dirname(paths['kube-apiserver'])])];
}
