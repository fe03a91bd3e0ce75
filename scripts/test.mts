// pnpm test: type check, lint, unit suites on the host, cluster suites inside a fresh network
// namespace holding only `lo`. Ends with one line "N passed, N failed" summed over every suite.
import { spawn, execFileSync } from 'node:child_process';
import path from 'node:path';
import { SUITES, type Suite } from './lib/test/suites.ts';
import { formatTotals, parseUvuSummary, type SuiteCounts } from './lib/test/uvu-summary.ts';
import { createNetns, defaultUpstreamEnv, deleteNetns, downloadUpstreamModules } from '../tests/harness/src/index.ts';

const root = path.resolve(import.meta.dirname, '..');
// Upstream chart trees the Go module proxy refuses: from ../shared/upstream when present.
Object.assign(process.env, defaultUpstreamEnv(root));
const only = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const netns = `stateless-ci-test-${process.pid}`;
let netnsCreated = false;

const cleanup = async () => {
  if (netnsCreated) await deleteNetns(netns);
  netnsCreated = false;
};
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => void cleanup().then(() => process.exit(130)));
}

function runSuite(s: Suite): Promise<{ code: number; output: string }> {
  let argv = [...s.command];
  if (s.where === 'netns') argv = ['ip', 'netns', 'exec', netns, 'node', '--import', 'tsx', 'scripts/lib/test/cluster-session.mts', ...argv];
  return new Promise((resolve) => {
    const child = spawn(argv[0]!, argv.slice(1), { cwd: root, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', STATELESS_CI_TEST: '1' } });
    let output = '';
    const tee = (stream: NodeJS.WriteStream) => (b: Buffer) => {
      output += b.toString();
      stream.write(b);
    };
    child.stdout.on('data', tee(process.stdout));
    child.stderr.on('data', tee(process.stderr));
    child.on('exit', (code, sig) => resolve({ code: code ?? (sig ? 1 : 0), output }));
  });
}

async function prepareOutsideNetns(): Promise<void> {
  // Outside the namespace, which has no network: build (or find cached) binaries, download the
  // Go modules whose content the harness uses (kwok stages, k8s-digester manifests).
  execFileSync('bash', [path.join(root, 'tests/harness/build-binaries.sh')], { stdio: ['ignore', 'ignore', 'inherit'] });
  await downloadUpstreamModules();
}

const results: { suite: string; counts: SuiteCounts; ok: boolean; note: string }[] = [];
for (const s of SUITES) {
  if (only.length > 0 && !only.includes(s.name)) continue;
  process.stdout.write(`\n=== suite ${s.name} ===\n`);
  if (s.where === 'netns') {
    await prepareOutsideNetns();
    await createNetns(netns);
    netnsCreated = true;
  }
  const t0 = Date.now();
  const { code, output } = await runSuite(s);
  if (s.where === 'netns') await cleanup();
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  let counts: SuiteCounts;
  let note = '';
  if (s.kind === 'check') {
    counts = code === 0 ? { passed: 1, failed: 0, skipped: 0 } : { passed: 0, failed: 1, skipped: 0 };
  } else {
    counts = parseUvuSummary(output) ?? { passed: 0, failed: 1, skipped: 0 };
    if (code !== 0 && counts.failed === 0) {
      counts = { ...counts, failed: 1 };
      note = ` (exited ${code})`;
    }
    if (counts.passed + counts.failed === 0) {
      counts = { ...counts, failed: 1 };
      note = ' (ran no test)';
    }
  }
  results.push({ suite: s.name, counts, ok: counts.failed === 0, note });
  process.stdout.write(`--- ${s.name}: ${formatTotals(counts)} in ${secs}s${note}\n`);
}

const total = results.reduce((a, r) => ({ passed: a.passed + r.counts.passed, failed: a.failed + r.counts.failed, skipped: a.skipped + r.counts.skipped }), { passed: 0, failed: 0, skipped: 0 });
process.stdout.write(`\n${results.map((r) => `${r.ok ? 'ok  ' : 'FAIL'} ${r.suite}: ${formatTotals(r.counts)}${r.note}`).join('\n')}\n`);
process.stdout.write(`${formatTotals(total)}\n`);
process.exit(total.failed === 0 && results.length > 0 ? 0 : 1);
