// pnpm freshness:amd|arm: find pods running stale images (see packages/verify/src/freshness/README.md).
import { runMain } from '@stateless-ci/core';
// The freshness entry alone: the check needs none of the components.
import { freshnessCommand } from '@stateless-ci/verify/freshness';
import { freshnessProcessIO } from './lib/freshness-io.ts';

void runMain(() => freshnessCommand(process.argv.slice(2), freshnessProcessIO));
