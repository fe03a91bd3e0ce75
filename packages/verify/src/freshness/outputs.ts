/**
 * Where a report goes besides stdout: a file for node_exporter's textfile collector (written to a
 * temporary name and renamed, so the collector never reads half a file) or a Pushgateway.
 */
import { rename, writeFile } from 'node:fs/promises';

export async function writeAtomically(file: string, text: string): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, file);
}

/** PUT replaces this job's metrics group: /metrics/job/stateless_ci_freshness/cluster/<name>. */
export async function pushToGateway(base: string, cluster: string, text: string, fetchFn: typeof globalThis.fetch = globalThis.fetch): Promise<void> {
  const url = `${base.replace(/\/+$/, '')}/metrics/job/stateless_ci_freshness/cluster/${encodeURIComponent(cluster)}`;
  let res: Response;
  try {
    res = await fetchFn(url, { method: 'PUT', body: text, headers: { 'Content-Type': 'text/plain; version=0.0.4' } });
  } catch (e) {
    throw new Error(`pushgateway ${base} cannot be reached: ${(e as Error).message}`, { cause: e });
  }
  if (!res.ok) throw new Error(`pushgateway ${base} answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
}
