/**
 * The few named errors the tool raises. Each carries a one-line, actionable message; only the CLI
 * maps them to exit codes (see `exitCodeFor`). Secrets never reach a message: callers redact first.
 */

/** Exit codes, documented in README.md. */
export const ExitCode = {
  ok: 0,
  failed: 1,
  /** Invalid input (cluster file or flags); also `--dry-run` when changes are pending. */
  invalid: 2,
  /** Refused before touching anything: wrong kube context, or another deploy holds the lock. */
  refused: 3,
  interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** One problem in a cluster file or a flag set: where, what, and how to fix it. */
export interface ConfigIssue {
  readonly file: string;
  /** Dotted field path, e.g. `spec.arc.maxRunners`, or `--context` for a flag. */
  readonly path: string;
  readonly message: string;
  readonly fix: string;
}

export function formatIssue(i: ConfigIssue): string {
  return `${i.file}: ${i.path}: ${i.message}. Fix: ${i.fix}`;
}

/** Bad input. Holds every issue found, so the user fixes them all in one go. Exit code 2. */
export class ConfigError extends Error {
  readonly issues: readonly ConfigIssue[];
  constructor(issues: readonly ConfigIssue[]) {
    const n = issues.length;
    super(`${n} problem${n === 1 ? '' : 's'} in the input:\n${issues.map((i) => `  - ${formatIssue(i)}`).join('\n')}`);
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

/** A child process (helm, kubectl, …) failed. */
export class CommandError extends Error {
  readonly command: string;
  readonly exitCode: number | null;
  readonly stderrTail: string;
  constructor(command: string, exitCode: number | null, stderr: string, opts?: { cause?: unknown }) {
    const tail = stderr.trim().split('\n').slice(-5).join('\n');
    super(`${command} failed (exit ${exitCode ?? 'signal'})${tail ? `: ${tail}` : ''}`, opts);
    this.name = 'CommandError';
    this.command = command;
    this.exitCode = exitCode;
    this.stderrTail = tail;
  }
}

/** The Kubernetes API answered with an error status. */
export class KubeApiError extends Error {
  readonly code: number;
  readonly reason: string;
  readonly retryAfterSeconds: number | undefined;
  constructor(code: number, reason: string, message: string, opts?: { cause?: unknown; retryAfterSeconds?: number }) {
    super(`Kubernetes API ${code} ${reason}: ${message}`, opts);
    this.name = 'KubeApiError';
    this.code = code;
    this.reason = reason;
    this.retryAfterSeconds = opts?.retryAfterSeconds;
  }
}

/** The tool refused to act: wrong context, lock held by another run. Exit code 3. */
export class RefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RefusedError';
  }
}

/** A check or wait concluded that something is not healthy (not a crash). Exit code 1. */
export class UnhealthyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnhealthyError';
  }
}

/** Ends the process with a specific exit code and an optional message. */
export class ExitError extends Error {
  readonly code: ExitCode;
  constructor(code: ExitCode, message = '') {
    super(message);
    this.name = 'ExitError';
    this.code = code;
  }
}

export function exitCodeFor(err: unknown): ExitCode {
  if (err instanceof ExitError) return err.code;
  if (err instanceof ConfigError) return ExitCode.invalid;
  if (err instanceof RefusedError) return ExitCode.refused;
  return ExitCode.failed;
}

/** An OCI registry answered with an error (or could not be reached). */
export class RegistryError extends Error {
  readonly status: number;
  readonly registry: string;
  readonly retryAfterSeconds: number | undefined;
  constructor(registry: string, status: number, message: string, opts?: { cause?: unknown; retryAfterSeconds?: number }) {
    super(`registry ${registry}: ${status ? `${status} ` : ''}${message}`, opts);
    this.name = 'RegistryError';
    this.registry = registry;
    this.status = status;
    this.retryAfterSeconds = opts?.retryAfterSeconds;
  }
}
