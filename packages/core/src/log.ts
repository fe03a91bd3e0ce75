/**
 * Logging goes to stderr (stdout carries only command output such as rendered YAML or JSON), and
 * every line passes the redactor. The sink is injected so tests can capture lines.
 */
import type { Redactor } from './redact.ts';

export type Level = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(msg: string): void;
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
}

export function createLogger(redactor: Redactor, sink: (line: string) => void = (l) => process.stderr.write(`${l}\n`), opts: { verbose?: boolean } = {}): Logger {
  const out = (level: Level, msg: string) => {
    if (level === 'debug' && !opts.verbose) return;
    const prefix = level === 'info' ? '' : `${level}: `;
    for (const line of redactor.redact(msg).split('\n')) sink(`${prefix}${line}`);
  };
  return {
    debug: (m) => out('debug', m),
    info: (m) => out('info', m),
    warn: (m) => out('warn', m),
    error: (m) => out('error', m),
  };
}

/** A logger that records lines, for tests. */
export function memoryLogger(redactor: Redactor): Logger & { lines: string[] } {
  const lines: string[] = [];
  return Object.assign(createLogger(redactor, (l) => lines.push(l), { verbose: true }), { lines });
}
