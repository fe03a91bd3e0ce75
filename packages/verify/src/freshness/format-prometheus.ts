/**
 * Pure: the report in Prometheus text exposition format, for node_exporter's textfile collector
 * (write with --output to a *.prom file; the writer renames atomically) or a Pushgateway.
 */
import { groupFindings } from './format-table.ts';
import { failing, type FindingStatus, type Report } from './types.ts';

const esc = (v: string): string => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
const labels = (l: Record<string, string>): string => `{${Object.entries(l).map(([k, v]) => `${k}="${esc(v)}"`).join(',')}}`;

const STATUSES: readonly FindingStatus[] = ['current', 'stale', 'missing-arch', 'unresolvable', 'unknown-running', 'pinned-digest'];

export function formatPrometheus(r: Report): string {
  const out: string[] = [];
  const metric = (name: string, type: 'gauge' | 'counter', help: string, samples: readonly [Record<string, string>, number][]) => {
    out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [l, v] of samples) out.push(`${name}${labels(l)} ${v}`);
  };
  const c = { cluster: r.cluster };
  metric('stateless_ci_freshness_containers', 'gauge', 'Containers by freshness status.', STATUSES.map((s) => [{ ...c, status: s }, r.findings.filter((f) => f.status === s).length]));
  const stale = groupFindings(r.findings.filter((f) => f.status === 'stale'));
  metric(
    'stateless_ci_freshness_stale_image_age_seconds',
    'gauge',
    'Seconds since the current image behind a stale container tag was created (-1 when unknown).',
    stale.map(({ finding: f }) => [
      { ...c, namespace: f.use.namespace, workload_kind: f.use.workload.kind, workload: f.use.workload.name, container: f.use.container, image: f.use.refKey ?? f.use.image, running_digest: f.use.runningDigest ?? '', current_digest: f.currentDigest ?? '' },
      f.ageSeconds ?? -1,
    ]),
  );
  metric(
    'stateless_ci_freshness_stale_pods',
    'gauge',
    'Pods of a workload running a stale digest of a tag.',
    stale.map(({ finding: f, pods }) => [{ ...c, namespace: f.use.namespace, workload_kind: f.use.workload.kind, workload: f.use.workload.name, container: f.use.container, image: f.use.refKey ?? f.use.image }, pods]),
  );
  const missing = [...new Set(r.findings.filter((f) => f.status === 'missing-arch').map((f) => f.use.refKey!))];
  metric('stateless_ci_freshness_missing_arch', 'gauge', 'Tags whose index has no manifest for the cluster architecture.', missing.map((i) => [{ ...c, image: i, arch: r.arch }, 1]));
  const unres = [...new Set(r.findings.filter((f) => f.status === 'unresolvable').map((f) => f.use.refKey ?? f.use.image))];
  metric('stateless_ci_freshness_unresolvable', 'gauge', 'Tags the registry could not resolve.', unres.map((i) => [{ ...c, image: i }, 1]));
  metric('stateless_ci_freshness_failing', 'gauge', 'Containers that fail the check (stale over max age, missing arch, unresolvable).', [[c, failing(r).length]]);
  metric('stateless_ci_freshness_max_age_seconds', 'gauge', 'The --max-age the run used.', [[c, r.maxAgeSeconds]]);
  metric('stateless_ci_freshness_unique_refs', 'gauge', 'Unique tags resolved.', [[c, r.uniqueRefs]]);
  metric('stateless_ci_freshness_registry_requests', 'gauge', 'Registry requests the last run made, by kind.', [
    [{ ...c, kind: 'head' }, r.requests.head],
    [{ ...c, kind: 'get' }, r.requests.get],
    [{ ...c, kind: 'token' }, r.requests.token],
    [{ ...c, kind: 'retry' }, r.requests.retries],
  ]);
  metric('stateless_ci_freshness_registry_ratelimit_remaining', 'gauge', 'Lowest rate-limit remaining a registry reported.', r.rateLimits.flatMap((l) => (l.remaining === undefined ? [] : [[{ ...c, registry: l.registry }, l.remaining] as [Record<string, string>, number]])));
  metric('stateless_ci_freshness_last_run_timestamp_seconds', 'gauge', 'When the check ran.', [[c, Math.round(Date.parse(r.checkedAt) / 1000)]]);
  metric('stateless_ci_freshness_duration_seconds', 'gauge', 'How long the check took.', [[c, r.durationMs / 1000]]);
  return `${out.join('\n')}\n`;
}
