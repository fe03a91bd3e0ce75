// pnpm freshness:amd|arm: find pods running stale images.
import { runMain } from '@stateless-ci/core';
import { notBuiltCommand } from './lib/not-built.ts';
import { CLUSTER_FLAGS } from './lib/common-flags.ts';

const SPEC = {
  ...CLUSTER_FLAGS,
  'max-age': { type: 'duration', description: 'fail when an image is staler than this', example: '24h' },
  restart: { type: 'boolean', description: 'roll out workloads whose pods are stale (asks first)' },
  yes: { type: 'boolean', description: 'do not ask (required with --restart when not on a terminal)' },
  format: { type: 'string', description: 'output format', choices: ['table', 'json', 'prometheus'], example: 'table' },
} as const;

await runMain(() => notBuiltCommand(process.argv.slice(2), 'the freshness check', 8, SPEC, 'usage: pnpm freshness:amd|freshness:arm [--max-age 24h] [--restart [--yes]] [--format table|json|prometheus]'));
