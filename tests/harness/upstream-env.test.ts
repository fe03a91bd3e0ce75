import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { defaultUpstreamEnv } from './src/index.ts';

test('chart trees under ../shared/upstream fill the unset variables; set ones win', () => {
  const base = mkdtempSync(path.join(tmpdir(), 'upstream-env-'));
  try {
    const repo = path.join(base, 'main');
    const chart = path.join(base, 'shared', 'upstream', 'spegel-v0.7.4', 'charts', 'spegel');
    mkdirSync(chart, { recursive: true });
    writeFileSync(path.join(chart, 'Chart.yaml'), 'name: spegel\n');
    assert.equal(defaultUpstreamEnv(repo, {}), { STATELESS_CI_UPSTREAM_SPEGEL_DIR: path.join(base, 'shared', 'upstream', 'spegel-v0.7.4') });
    assert.equal(defaultUpstreamEnv(repo, { STATELESS_CI_UPSTREAM_SPEGEL_DIR: '/elsewhere' }), {});
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
});

test('nothing under shared: nothing set', () => {
  assert.equal(defaultUpstreamEnv('/nonexistent/main', {}), {});
});
test.run();
