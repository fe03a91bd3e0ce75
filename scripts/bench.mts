// pnpm bench [--only NAME]: runs each bench/<name>.mts inside a fresh network namespace against one
// harness session. Benchmarks compare against a baseline in the same run and write their numbers to
// bench/results/<name>.json; they assert nothing about time.
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, ExitCode, flagHelp, parseFlags, runMain } from '@stateless-ci/core';
import { createNetns, defaultUpstreamEnv, deleteNetns, downloadUpstreamModules } from '../tests/harness/src/index.ts';

const SPEC = { only: { type: 'string', description: 'run one benchmark (file name without .mts)', example: 'freshness' } } as const;
const root = path.resolve(import.meta.dirname, '..');
Object.assign(process.env, defaultUpstreamEnv(root));

void runMain(async () => {
  const parsed = parseFlags(process.argv.slice(2), SPEC);
  const all = readdirSync(path.join(root, 'bench')).filter((f) => f.endsWith('.mts')).map((f) => f.replace(/\.mts$/, '')).sort();
  if (parsed.help) {
    process.stdout.write(`usage: pnpm bench [--only NAME]\n\nbenchmarks: ${all.join(', ') || '(none yet)'}\n\nflags:\n${flagHelp(SPEC)}\n`);
    return ExitCode.ok;
  }
  const chosen = parsed.flags.only ? all.filter((n) => n === parsed.flags.only) : all;
  if (chosen.length === 0) {
    throw new ConfigError([{ file: 'command line', path: '--only', message: parsed.flags.only ? `no benchmark named ${parsed.flags.only}` : 'there are no benchmarks under bench/', fix: `use one of: ${all.join(', ') || '(none)'}` }]);
  }
  execFileSync('bash', [path.join(root, 'tests/harness/build-binaries.sh')], { stdio: ['ignore', 'ignore', 'inherit'] });
  await downloadUpstreamModules();
  const netns = `stateless-ci-bench-${process.pid}`;
  await createNetns(netns);
  let failed = 0;
  try {
    for (const name of chosen) {
      process.stdout.write(`\n=== bench ${name} ===\n`);
      const r = spawnSync('ip', ['netns', 'exec', netns, 'node', '--import', 'tsx', 'scripts/lib/test/cluster-session.mts', 'node', '--import', 'tsx', `bench/${name}.mts`], { cwd: root, stdio: 'inherit' });
      if (r.status !== 0) failed++;
    }
  } finally {
    await deleteNetns(netns);
  }
  return failed === 0 ? ExitCode.ok : ExitCode.failed;
});
