/**
 * kwok configuration: the default "fast" stages from the kwok module in the Go module cache
 * (kustomize/stage/fast: node-initialize, node-heartbeat-with-lease, pod-ready, pod-complete,
 * pod-delete) plus a ClusterLogs document so `kubectl logs` works for every pod.
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { HarnessError } from './errors.ts';

export class KwokStagesNotFoundError extends HarnessError {
  override name = 'KwokStagesNotFoundError';
}

/** The text every pod "logs"; tests assert on it. CRI log format, one entry per line. */
export const podLogLines: readonly string[] = [
  '2026-01-01T00:00:00Z stdout F stateless-ci harness: fake container log line 1',
  '2026-01-01T00:00:01Z stdout F stateless-ci harness: fake container log line 2',
];

export function renderPodLog(lines: readonly string[] = podLogLines): string {
  return lines.join('\n') + '\n';
}

export function renderClusterLogs(logsFile: string): string {
  return stringify({
    apiVersion: 'kwok.x-k8s.io/v1alpha1',
    kind: 'ClusterLogs',
    metadata: { name: 'stateless-ci-all-pods' },
    spec: { selector: {}, logs: [{ containers: [], logsFile, follow: false }] },
  });
}

export function goModCache(env: Readonly<Record<string, string | undefined>> = process.env): string {
  if (env.GOMODCACHE) return env.GOMODCACHE;
  return join(env.GOPATH?.split(':')[0] ?? join(homedir(), 'go'), 'pkg', 'mod');
}

export function kwokStageDir(kwokVersion: string, modCache = goModCache()): string {
  const dir = join(modCache, `sigs.k8s.io/kwok@${kwokVersion}`, 'kustomize', 'stage', 'fast');
  if (!existsSync(join(dir, 'kustomization.yaml'))) {
    throw new KwokStagesNotFoundError(
      `kwok stages not found at ${dir}; outside the network namespace run: go mod download sigs.k8s.io/kwok@${kwokVersion}`,
    );
  }
  return dir;
}

/** Writes the logs config into `dir` and returns every --config path for kwok. */
export async function writeKwokConfig(dir: string, stageDir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const logsFile = join(dir, 'pod.log');
  const logsConfig = join(dir, 'logs.yaml');
  await writeFile(logsFile, renderPodLog());
  await writeFile(logsConfig, renderClusterLogs(logsFile));
  return [stageDir, logsConfig];
}
