/**
 * Puts real upstream content, at the pinned versions, into the harness registry:
 *  - k8s-digester manifests (from its Go module zip in GOMODCACHE) as an OCI artifact at
 *    oci://127.0.0.1:5000/manifests/k8s-digester:<version>;
 *  - the Spegel and ARC Helm charts, packaged from local checkouts, at oci://127.0.0.1:5000/charts.
 * Anything that cannot be had offline is reported as `unavailable` with the reason, so tests skip.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { MediaType } from '@stateless-ci/core';
import type { Harness } from './harness.ts';
import { goModCache } from './kwok-config.ts';
import { pushArtifact } from './oci.ts';
import { run as defaultRun, type Runner } from './run.ts';
import { readVersions, type Versions } from './versions.ts';

export type UpstreamName = 'k8s-digester' | 'spegel' | 'gha-runner-scale-set-controller' | 'gha-runner-scale-set';

export type UpstreamResult =
  | { readonly name: UpstreamName; readonly status: 'pushed'; readonly ref: string; readonly version: string; readonly digest?: string }
  | { readonly name: UpstreamName; readonly status: 'unavailable'; readonly version: string; readonly reason: string };

/** Media types of the manifests artifact (one layer: the upstream YAML files concatenated as one multi-doc YAML). */
export const manifestsArtifactType = MediaType.manifestsArtifact;
export const manifestsLayerMediaType = MediaType.manifestsYaml;

export const digesterModule = 'github.com/google/k8s-digester';

type Env = Readonly<Record<string, string | undefined>>;

/** Concatenates the manifest files in the order of the upstream Kustomization's `resources`. */
export async function digesterManifestsYaml(manifestDir: string): Promise<string> {
  const kustomization = parse(await readFile(join(manifestDir, 'Kustomization'), 'utf8')) as { resources?: string[] };
  const files = kustomization.resources ?? (await readdir(manifestDir)).filter((f) => f.endsWith('.yaml')).sort();
  const docs: string[] = [];
  for (const f of files) docs.push(`# Source: ${digesterModule}/manifests/${f}\n${(await readFile(join(manifestDir, f), 'utf8')).trim()}\n`);
  return docs.join('---\n');
}

export function digesterManifestDir(version: string, env: Env = process.env): string {
  return join(goModCache(env), `${digesterModule}@${version}`, 'manifests');
}

async function pushDigester(h: Harness, v: Versions, env: Env): Promise<UpstreamResult> {
  const dir = digesterManifestDir(v.digester, env);
  if (!existsSync(join(dir, 'Kustomization'))) {
    return {
      name: 'k8s-digester',
      status: 'unavailable',
      version: v.digester,
      reason: `${dir} missing: run \`go mod download ${digesterModule}@${v.digester}\` outside the network namespace first`,
    };
  }
  const yaml = new TextEncoder().encode(await digesterManifestsYaml(dir));
  const config = new TextEncoder().encode(JSON.stringify({ source: `${digesterModule}@${v.digester}/manifests`, version: v.digester }));
  const digest = await pushArtifact(h.registry, 'manifests/k8s-digester', v.digester, {
    artifactType: manifestsArtifactType,
    config: { mediaType: MediaType.manifestsConfig, data: config },
    layer: { mediaType: manifestsLayerMediaType, data: yaml, title: `k8s-digester-${v.digester}.yaml` },
    annotations: { 'org.opencontainers.image.source': `https://${digesterModule}`, 'org.opencontainers.image.version': v.digester },
  });
  return { name: 'k8s-digester', status: 'pushed', ref: `oci://${h.registry}/manifests/k8s-digester:${v.digester}`, version: v.digester, digest };
}

interface ChartSpec {
  readonly name: UpstreamName;
  readonly envVar: 'STATELESS_CI_UPSTREAM_SPEGEL_DIR' | 'STATELESS_CI_UPSTREAM_ARC_DIR';
  readonly chartPath: string;
  readonly version: string;
  readonly appVersion: string;
  readonly proxyReason: string;
}

export function chartSpecs(v: Versions): ChartSpec[] {
  const arcReason =
    'the Go module proxy refuses github.com/actions/actions-runner-controller (403), so the chart cannot come from a module zip; ' +
    'set STATELESS_CI_UPSTREAM_ARC_DIR to a checkout at tag gha-runner-scale-set-' + v.arcChart;
  return [
    {
      name: 'spegel',
      envVar: 'STATELESS_CI_UPSTREAM_SPEGEL_DIR',
      chartPath: 'charts/spegel',
      version: v.spegelChart,
      appVersion: `v${v.spegelChart}`, // the in-repo Chart.yaml carries placeholder v0.0.1
      proxyReason:
        'the Go module proxy refuses github.com/spegel-org/spegel (403), so the chart cannot come from a module zip; ' +
        `set STATELESS_CI_UPSTREAM_SPEGEL_DIR to a checkout at tag v${v.spegelChart}`,
    },
    { name: 'gha-runner-scale-set-controller', envVar: 'STATELESS_CI_UPSTREAM_ARC_DIR', chartPath: 'charts/gha-runner-scale-set-controller', version: v.arcChart, appVersion: v.arcChart, proxyReason: arcReason },
    { name: 'gha-runner-scale-set', envVar: 'STATELESS_CI_UPSTREAM_ARC_DIR', chartPath: 'charts/gha-runner-scale-set', version: v.arcChart, appVersion: v.arcChart, proxyReason: arcReason },
  ];
}

async function pushChart(h: Harness, spec: ChartSpec, env: Env, run: Runner): Promise<UpstreamResult> {
  const root = env[spec.envVar];
  if (!root) return { name: spec.name, status: 'unavailable', version: spec.version, reason: spec.proxyReason };
  const chartDir = join(root, spec.chartPath);
  if (!existsSync(join(chartDir, 'Chart.yaml'))) {
    return { name: spec.name, status: 'unavailable', version: spec.version, reason: `${spec.envVar}=${root} has no ${spec.chartPath}/Chart.yaml` };
  }
  const out = join(h.dir, 'upstream-charts');
  await mkdir(out, { recursive: true });
  const cmdEnv = { ...process.env, ...h.env() };
  const helm = join(h.binDir, 'helm');
  await run([helm, 'package', chartDir, '--version', spec.version, '--app-version', spec.appVersion, '--destination', out], { env: cmdEnv });
  const tgz = join(out, `${spec.name}-${spec.version}.tgz`);
  const pushed = await run([helm, 'push', tgz, `oci://${h.registry}/charts`, '--plain-http'], { env: cmdEnv });
  const digest = /Digest:\s*(sha256:[0-9a-f]+)/.exec(pushed.stdout + pushed.stderr)?.[1];
  return { name: spec.name, status: 'pushed', ref: `oci://${h.registry}/charts/${spec.name}`, version: spec.version, ...(digest ? { digest } : {}) };
}

export interface PrepareOptions {
  readonly env?: Env;
  readonly run?: Runner;
  readonly versions?: Versions;
}

export async function prepareUpstream(h: Harness, o: PrepareOptions = {}): Promise<UpstreamResult[]> {
  const env = o.env ?? process.env;
  const run = o.run ?? defaultRun;
  const v = o.versions ?? readVersions();
  const results: UpstreamResult[] = [await pushDigester(h, v, env)];
  for (const spec of chartSpecs(v)) results.push(await pushChart(h, spec, env, run));
  return results;
}

/**
 * Pre-step for the test runner, OUTSIDE the network namespace: fills GOMODCACHE with the
 * modules whose files the harness reads (kwok stages, k8s-digester manifests).
 */
export async function downloadUpstreamModules(run: Runner = defaultRun, v: Versions = readVersions()): Promise<void> {
  await run(['go', 'mod', 'download', '-json', `sigs.k8s.io/kwok@${v.kwok}`, `${digesterModule}@${v.digester}`], {
    env: { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-mod=mod' },
  });
}

/**
 * Where chart trees come from when no STATELESS_CI_UPSTREAM_* variable is set: `shared/upstream/`
 * beside the project (CI gets a copy of shared/ next to its clone). Layout, one upstream tree per
 * pinned tag, charts/ only: shared/upstream/spegel-v0.7.4/charts/spegel,
 * shared/upstream/arc-0.14.2/charts/gha-runner-scale-set{,-controller}, shared/upstream/arc-0.13.1/…
 * Returns the variables to set (existing ones win).
 */
export function defaultUpstreamEnv(repoRoot: string, env: Env = process.env, v: Versions = readVersions()): Record<string, string> {
  const shared = join(repoRoot, '..', 'shared', 'upstream');
  const out: Record<string, string> = {};
  const offer = (name: string, dir: string, probe: string) => {
    if (!env[name] && existsSync(join(shared, dir, probe))) out[name] = join(shared, dir);
  };
  offer('STATELESS_CI_UPSTREAM_SPEGEL_DIR', `spegel-v${v.spegelChart}`, 'charts/spegel/Chart.yaml');
  offer('STATELESS_CI_UPSTREAM_ARC_DIR', `arc-${v.arcChart}`, 'charts/gha-runner-scale-set/Chart.yaml');
  offer('STATELESS_CI_UPSTREAM_ARC_PREVIOUS_DIR', 'arc-0.13.1', 'charts/gha-runner-scale-set/Chart.yaml');
  return out;
}
