/** The verdict of one named verification check. */
export type CheckStatus = 'pass' | 'fail' | 'warn' | 'skip';

export interface Check {
  /** Stable name, e.g. `spegel.daemonset-rolled-out`. */
  readonly name: string;
  readonly status: CheckStatus;
  /** One line an operator can act on. */
  readonly detail: string;
  /** Names of the failing objects (nodes, pods), when there are any. */
  readonly failing?: readonly string[];
  /** Measurements worth reporting, e.g. admission latency. */
  readonly metrics?: Readonly<Record<string, number>>;
}

export const pass = (name: string, detail: string, metrics?: Record<string, number>): Check => ({ name, status: 'pass', detail, metrics });
export const fail = (name: string, detail: string, failing?: readonly string[]): Check => ({ name, status: 'fail', detail, failing });
export const warn = (name: string, detail: string, failing?: readonly string[]): Check => ({ name, status: 'warn', detail, failing });
export const skip = (name: string, detail: string): Check => ({ name, status: 'skip', detail });

export const healthy = (checks: readonly Check[]): boolean => checks.every((c) => c.status !== 'fail');
