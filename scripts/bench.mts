// pnpm bench: run the benchmarks under bench/ against the harness and print ratios.
import { runMain } from '@stateless-ci/core';
import { notBuiltCommand } from './lib/not-built.ts';

const SPEC = { only: { type: 'string', description: 'run one benchmark', example: 'spegel-verify' } } as const;
await runMain(() => notBuiltCommand(process.argv.slice(2), 'pnpm bench', 4, SPEC, 'usage: pnpm bench [--only NAME]', false));
