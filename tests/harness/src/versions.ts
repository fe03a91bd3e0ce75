/** Pinned versions, read from tests/harness/versions.env (shared with build-binaries.sh). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface Versions {
  readonly kubernetes: string;
  readonly etcd: string;
  readonly kwok: string;
  readonly helm: string;
  readonly digester: string;
  readonly spegelChart: string;
  readonly arcChart: string;
}

export const versionsFile = fileURLToPath(new URL('../versions.env', import.meta.url));
export const buildScript = fileURLToPath(new URL('../build-binaries.sh', import.meta.url));

export function parseEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq > 0) out[line.slice(0, eq)] = line.slice(eq + 1).replace(/^["']|["']$/g, '');
  }
  return out;
}

export function readVersions(text = readFileSync(versionsFile, 'utf8')): Versions {
  const env = parseEnvFile(text);
  const need = (k: string): string => {
    const v = env[k];
    if (!v) throw new Error(`${versionsFile}: ${k} is missing`);
    return v;
  };
  return {
    kubernetes: need('K8S_VERSION'),
    etcd: need('ETCD_VERSION'),
    kwok: need('KWOK_VERSION'),
    helm: need('HELM_VERSION'),
    digester: need('DIGESTER_VERSION'),
    spegelChart: need('SPEGEL_CHART_VERSION'),
    arcChart: need('ARC_CHART_VERSION'),
  };
}
