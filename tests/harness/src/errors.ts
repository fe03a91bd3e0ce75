/** Named errors of the test harness. Each carries enough context to act on without reading code. */

export class HarnessError extends Error {
  override name = 'HarnessError';
}

/** The harness was asked to run in the host network namespace without STATELESS_CI_ALLOW_HOST_NETNS=1. */
export class HostNetnsError extends HarnessError {
  override name = 'HostNetnsError';
}

export class BinaryNotFoundError extends HarnessError {
  override name = 'BinaryNotFoundError';
}

export class ReadinessTimeoutError extends HarnessError {
  override name = 'ReadinessTimeoutError';
}

/** A component exited while the harness was waiting for it. `logTail` is the end of its log. */
export class ProcessExitedError extends HarnessError {
  override name = 'ProcessExitedError';
  readonly component: string;
  readonly logTail: string;
  constructor(component: string, logTail: string) {
    super(`${component} exited during startup; last log lines:\n${logTail}`);
    this.component = component;
    this.logTail = logTail;
  }
}

export class CommandFailedError extends HarnessError {
  override name = 'CommandFailedError';
  readonly argv: readonly string[];
  readonly code: number | null;
  readonly stderr: string;
  constructor(argv: readonly string[], code: number | null, stderr: string) {
    super(`command failed (exit ${code}): ${argv.join(' ')}\n${stderr.trim()}`);
    this.argv = argv;
    this.code = code;
    this.stderr = stderr;
  }
}

export class KubeApiError extends HarnessError {
  override name = 'KubeApiError';
  readonly status: number;
  readonly body: string;
  constructor(method: string, path: string, status: number, body: string) {
    super(`${method} ${path} -> HTTP ${status}: ${body.slice(0, 500)}`);
    this.status = status;
    this.body = body;
  }
}

export class StateNotFoundError extends HarnessError {
  override name = 'StateNotFoundError';
}
