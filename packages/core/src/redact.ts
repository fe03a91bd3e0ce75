/**
 * Secret redaction. Every secret value the tool reads is registered here before it is used, and
 * every line the tool prints or stores passes through `redact`, so a value can never leak through a
 * helm error, a plan diff or a log line.
 */
export const REDACTED = '[REDACTED]';

export class Redactor {
  readonly #secrets = new Set<string>();

  /** Registers a secret and every line of it (multi-line keys leak line by line in stack traces). */
  add(secret: string): void {
    const s = secret.trim();
    if (s.length < 4) return;
    this.#secrets.add(s);
    for (const line of s.split(/\r?\n/)) {
      const l = line.trim();
      if (l.length >= 16 && !/^-----(BEGIN|END) /.test(l)) this.#secrets.add(l);
    }
  }

  get size(): number {
    return this.#secrets.size;
  }

  redact(text: string): string {
    let out = text;
    // Longest first, so a whole key is replaced before its lines are.
    for (const s of [...this.#secrets].sort((a, b) => b.length - a.length)) {
      if (out.includes(s)) out = out.split(s).join(REDACTED);
    }
    return out;
  }
}
