/**
 * Pure: the human report. Containers with the same workload, container, image and verdict are
 * one row (with a pod count), so 2,000 replicas of one stale Deployment stay one line.
 */
import { formatAge } from './assess.ts';
import { failing, type Finding, type Report } from './types.ts';

const short = (d: string | undefined): string => (d ? d.replace(/^sha256:/, '').slice(0, 12) : '-');

interface Row {
  readonly cells: string[];
  pods: number;
}

export function groupFindings(findings: readonly Finding[]): { finding: Finding; pods: number }[] {
  const rows = new Map<string, { finding: Finding; pods: number }>();
  for (const f of findings) {
    const w = f.use.workload;
    const key = [f.status, w.namespace, w.kind, w.name, f.use.container, f.use.refKey ?? f.use.image, f.use.runningDigest ?? ''].join('|');
    const row = rows.get(key);
    if (row) row.pods++;
    else rows.set(key, { finding: f, pods: 1 });
  }
  return [...rows.values()];
}

export function formatTable(r: Report): string {
  const notable = r.findings.filter((f) => f.status !== 'current' && f.status !== 'pinned-digest');
  const header = ['STATUS', 'NAMESPACE', 'WORKLOAD', 'CONTAINER', 'PODS', 'IMAGE', 'RUNNING', 'CURRENT', 'AGE'];
  const rows: Row[] = groupFindings(notable).map(({ finding: f, pods }) => ({
    pods,
    cells: [
      f.status === 'stale' && f.overMaxAge ? 'STALE!' : f.status.toUpperCase(),
      f.use.namespace,
      `${f.use.workload.kind}/${f.use.workload.name}`,
      `${f.use.container}${f.use.init ? ' (init)' : ''}`,
      String(pods),
      f.use.refKey ?? f.use.image,
      short(f.use.runningDigest),
      short(f.currentDigest),
      f.status === 'stale' ? formatAge(f.ageSeconds) : '-',
    ],
  }));
  const lines: string[] = [];
  if (rows.length > 0) {
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row.cells[i]!.length)));
    const fmt = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
    lines.push(fmt(header), ...rows.map((row) => fmt(row.cells)));
    const reasons = [...new Set(notable.filter((f) => f.reason && f.status !== 'stale').map((f) => `  ${f.use.refKey ?? f.use.image}: ${f.reason}`))];
    if (reasons.length) lines.push('', 'details:', ...reasons);
    lines.push('');
  }
  const count = (s: Finding['status']) => r.findings.filter((f) => f.status === s).length;
  lines.push(
    `${r.cluster} (${r.arch}): ${r.pods} pods, ${r.containers} containers, ${r.uniqueRefs} unique tags: ` +
      `${count('current')} current, ${count('stale')} stale (${r.findings.filter((f) => f.status === 'stale' && f.overMaxAge).length} over ${formatAge(r.maxAgeSeconds)}), ` +
      `${count('missing-arch')} missing ${r.arch}, ${count('unresolvable')} unresolvable, ${count('unknown-running')} with unknown running digest, ${count('pinned-digest')} pinned by digest only`,
    `registry: ${r.requests.head} HEAD, ${r.requests.get} GET, ${r.requests.token} token, ${r.requests.retries} retries in ${(r.durationMs / 1000).toFixed(1)}s` +
      (r.rateLimits.length ? `; rate limit remaining: ${r.rateLimits.map((l) => `${l.registry} ${l.remaining ?? '?'}/${l.limit ?? '?'}${l.windowSeconds ? ` per ${formatAge(l.windowSeconds)}` : ''}`).join(', ')}` : ''),
    failing(r).length ? `FAIL: ${failing(r).length} container(s) need attention` : 'OK',
  );
  return `${lines.join('\n')}\n`;
}
