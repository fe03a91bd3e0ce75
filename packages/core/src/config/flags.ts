/**
 * Command-line flags, validated like cluster files: unknown flags rejected with a suggestion,
 * values type-checked, every problem reported at once (file "command line", path "--flag").
 */
import { ConfigError, type ConfigIssue } from '../errors.ts';
import { closest } from './schema.ts';

export type FlagType = 'string' | 'boolean' | 'integer' | 'duration';

export interface FlagDef {
  readonly type: FlagType;
  readonly description: string;
  /** Shown in --help and in fixes. */
  readonly example?: string;
  readonly pattern?: RegExp;
  readonly choices?: readonly string[];
  readonly min?: number;
  readonly max?: number;
}

export type FlagSpec = Readonly<Record<string, FlagDef>>;

export type FlagValues<S extends FlagSpec> = {
  [K in keyof S]?: S[K]['type'] extends 'boolean' ? boolean : S[K]['type'] extends 'integer' ? number : string;
};

export interface ParsedArgs<S extends FlagSpec> {
  readonly flags: FlagValues<S>;
  readonly positionals: string[];
  readonly help: boolean;
}

export const COMMAND_LINE = 'command line';

/** Parses argv (without node and script). `--help`/`-h` is always accepted. Throws ConfigError. */
export function parseFlags<S extends FlagSpec>(argv: readonly string[], spec: S): ParsedArgs<S> {
  const { parsed, issues } = collectFlags(argv, spec);
  if (issues.length > 0) throw new ConfigError(issues);
  return parsed;
}

/** Like parseFlags, but returns the issues beside whatever parsed, so callers can add their own. */
export function collectFlags<S extends FlagSpec>(argv: readonly string[], spec: S): { parsed: ParsedArgs<S>; issues: ConfigIssue[] } {
  const issues: ConfigIssue[] = [];
  const flags: Record<string, string | number | boolean> = {};
  const positionals: string[] = [];
  let help = false;
  const names = Object.keys(spec);
  const issue = (path: string, message: string, fix: string) => issues.push({ file: COMMAND_LINE, path, message, fix });

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') {
      help = true;
      continue;
    }
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--')) {
      if (arg.startsWith('-') && arg.length > 1) issue(arg, 'is not a known flag', 'flags are written --name');
      else positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    let name = arg.slice(2, eq === -1 ? undefined : eq);
    let inline = eq === -1 ? undefined : arg.slice(eq + 1);
    let negated = false;
    if (!(name in spec) && name.startsWith('no-') && spec[name.slice(3)]?.type === 'boolean') {
      name = name.slice(3);
      negated = true;
    }
    const def = spec[name];
    if (!def) {
      const near = closest(name, names);
      issue(`--${name}`, 'is not a known flag', near ? `did you mean --${near}?` : names.length ? `known flags: ${names.map((n) => `--${n}`).join(', ')}` : 'this command takes no flags');
      continue;
    }
    if (name in flags) {
      issue(`--${name}`, 'is given more than once', 'pass it once');
      continue;
    }
    if (def.type === 'boolean') {
      if (inline !== undefined && inline !== 'true' && inline !== 'false') {
        issue(`--${name}`, `takes no value, got ${JSON.stringify(inline)}`, `write --${name} or --no-${name}`);
        continue;
      }
      flags[name] = negated ? false : inline !== 'false';
      continue;
    }
    if (inline === undefined) {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) {
        issue(`--${name}`, 'needs a value', `write --${name} ${def.example ?? 'VALUE'}`);
        continue;
      }
      inline = next;
      i++;
    }
    const v = checkValue(name, def, inline, issue);
    if (v !== undefined) flags[name] = v;
  }
  return { parsed: { flags: flags as FlagValues<S>, positionals, help }, issues };
}

function checkValue(name: string, def: FlagDef, raw: string, issue: (p: string, m: string, f: string) => void): string | number | undefined {
  const path = `--${name}`;
  if (raw === '') {
    issue(path, 'must not be empty', `write --${name} ${def.example ?? 'VALUE'}`);
    return undefined;
  }
  if (def.type === 'integer') {
    const n = Number(raw);
    if (!/^-?\d+$/.test(raw) || (def.min !== undefined && n < def.min) || (def.max !== undefined && n > def.max)) {
      issue(path, `must be a whole number${def.min !== undefined ? ` from ${def.min} to ${def.max}` : ''}, got ${JSON.stringify(raw)}`, `write --${name} ${def.example ?? def.min ?? 1}`);
      return undefined;
    }
    return n;
  }
  if (def.type === 'duration' && !/^\d+(ms|s|m|h|d)$/.test(raw)) {
    issue(path, `must be a duration like 90s, 30m or 24h, got ${JSON.stringify(raw)}`, `write --${name} ${def.example ?? '24h'}`);
    return undefined;
  }
  if (def.choices && !def.choices.includes(raw)) {
    const near = closest(raw, def.choices);
    issue(path, `must be one of ${def.choices.join(', ')}, got ${JSON.stringify(raw)}`, near ? `did you mean --${name} ${near}?` : `write --${name} ${def.choices[0]}`);
    return undefined;
  }
  if (def.pattern && !def.pattern.test(raw)) {
    issue(path, `is not valid: ${JSON.stringify(raw)}`, `write --${name} ${def.example ?? 'VALUE'}`);
    return undefined;
  }
  return raw;
}

/** Requires a flag, reporting like any other input problem. */
export function requireFlag<S extends FlagSpec>(parsed: ParsedArgs<S>, name: keyof S & string, spec: S): void {
  if (parsed.flags[name] === undefined) {
    throw new ConfigError([{ file: COMMAND_LINE, path: `--${name}`, message: 'is required', fix: `add --${name} ${spec[name]?.example ?? 'VALUE'}` }]);
  }
}

/** Parses a duration flag or config value to milliseconds. */
export function durationMs(d: string): number {
  const m = /^(\d+)(ms|s|m|h|d)$/.exec(d);
  if (!m) throw new Error(`not a duration: ${d}`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 'ms' | 's' | 'm' | 'h' | 'd'];
  return Number(m[1]) * unit;
}

/** Renders a flag table for --help. */
export function flagHelp(spec: FlagSpec): string {
  const rows = Object.entries(spec).map(([n, d]) => {
    const lhs = `  --${n}${d.type === 'boolean' ? '' : ` ${d.example ?? d.type.toUpperCase()}`}`;
    return `${lhs.padEnd(34)} ${d.description}${d.choices ? ` (${d.choices.join('|')})` : ''}`;
  });
  return [...rows, `${'  --help'.padEnd(34)} show this help`].join('\n');
}
