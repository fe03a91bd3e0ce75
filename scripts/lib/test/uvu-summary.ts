/** Reads uvu's closing block (Total / Passed / Skipped) and explicit suite skips from its output. */
export interface SuiteCounts {
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
}

/** Test files that cannot run (a prerequisite is missing) print `# skipped-suite: <file>: <reason>`. */
export const SKIP_MARK = '# skipped-suite:';

export function parseUvuSummary(output: string): SuiteCounts | undefined {
  // oxlint-disable-next-line no-control-regex -- ANSI escapes are control characters by definition
  const clean = output.replace(/\x1b\[[0-9;]*m/g, '');
  let total = 0;
  let passed = 0;
  let skipped = 0;
  let found = false;
  for (const m of clean.matchAll(/Total:\s+(\d+)\s+Passed:\s+(\d+)\s+Skipped:\s+(\d+)/g)) {
    found = true;
    total += Number(m[1]);
    passed += Number(m[2]);
    skipped += Number(m[3]);
  }
  const suiteSkips = clean.split('\n').filter((l) => l.startsWith(SKIP_MARK)).length;
  if (!found) return suiteSkips > 0 ? { passed: 0, failed: 0, skipped: suiteSkips } : undefined;
  // uvu's Total counts the tests that ran; skipped ones are reported apart from it.
  return { passed, failed: total - passed, skipped: skipped + suiteSkips };
}

export function formatTotals(c: SuiteCounts): string {
  return `${c.passed} passed, ${c.failed} failed${c.skipped > 0 ? `, ${c.skipped} skipped` : ''}`;
}
