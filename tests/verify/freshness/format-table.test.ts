import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { formatTable } from '../../../packages/verify/src/freshness/format-table.ts';
import { report } from './_report.ts';

const t = suite('format-table');

t('table: one row per workload and container with the pod count, and a verdict line', () => {
  const text = formatTable(report());
  const rows = text.split('\n').filter((l) => l.startsWith('STALE!'));
  assert.is(rows.length, 1);
  assert.match(rows[0]!, /apps\s+Deployment\/web\s+main\s+5\s+r\.io\/app:v1\s+[a-f0-9]{12}\s+[a-f0-9]{12}\s+1d/);
  assert.match(text, /1 HEAD, 2 GET/);
  assert.match(text, /rate limit remaining: registry-1.docker.io 42\/100 per 6h/);
  assert.match(text, /FAIL: 5 container\(s\) need attention/);
});

t.run();
