import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { formatTotals, parseUvuSummary } from '../../scripts/lib/test/uvu-summary.ts';

test('sums uvu closing blocks and derives failures', () => {
  const out = 'x\n  Total:     7\n  Passed:    6\n  Skipped:   0\n  Duration:  3ms\n\n  Total:     2\n  Passed:    2\n  Skipped:   0\n';
  assert.equal(parseUvuSummary(out), { passed: 8, failed: 1, skipped: 0 });
});
test('counts whole suites skipped for a missing prerequisite', () => {
  const out = '# skipped-suite: tests/spegel/deploy.cluster.test.ts: chart unavailable\n  Total:     1\n  Passed:    1\n  Skipped:   0\n';
  assert.equal(parseUvuSummary(out), { passed: 1, failed: 0, skipped: 1 });
});
test('uvu skips are outside Total (seen: Total 55, Passed 55, Skipped 3)', () => {
  assert.equal(parseUvuSummary('  Total:     55\n  Passed:    55\n  Skipped:   3\n'), { passed: 55, failed: 0, skipped: 3 });
  assert.equal(parseUvuSummary('  Total:     55\n  Passed:    54\n  Skipped:   3\n'), { passed: 54, failed: 1, skipped: 3 });
});
test('no summary means no result', () => assert.is(parseUvuSummary('crashed'), undefined));
test('strips colour codes', () => assert.equal(parseUvuSummary('\x1b[2m  Total:     3\x1b[22m\n  Passed:    3\n  Skipped:   0'), { passed: 3, failed: 0, skipped: 0 }));
test('formats the closing line', () => {
  assert.is(formatTotals({ passed: 5, failed: 0, skipped: 0 }), '5 passed, 0 failed');
  assert.is(formatTotals({ passed: 5, failed: 1, skipped: 2 }), '5 passed, 1 failed, 2 skipped');
});
test.run();
