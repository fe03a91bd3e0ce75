/**
 * The suites `pnpm test` runs and how each is counted. Static checks count as one test each; uvu
 * suites count their tests. A suite that runs no test fails the run.
 */
export type SuiteKind = 'check' | 'uvu';
export type Where = 'host' | 'netns';

export interface Suite {
  readonly name: string;
  readonly kind: SuiteKind;
  readonly where: Where;
  /** argv to run, relative to the repo root. */
  readonly command: readonly string[];
}

const UVU = ['node', '--import', 'tsx', 'node_modules/uvu/bin.js'];

export const SUITES: readonly Suite[] = [
  { name: 'typecheck', kind: 'check', where: 'host', command: ['node_modules/.bin/tsc', '--noEmit', '-p', '.'] },
  { name: 'lint', kind: 'check', where: 'host', command: ['node_modules/.bin/oxlint', '--deny-warnings', 'packages', 'scripts', 'tests', 'bench'] },
  { name: 'unit', kind: 'uvu', where: 'host', command: [...UVU, '-i', 'cluster\\.test\\.ts$', 'tests', '\\.test\\.ts$'] },
  { name: 'cluster', kind: 'uvu', where: 'netns', command: [...UVU, 'tests', 'cluster\\.test\\.ts$'] },
];
