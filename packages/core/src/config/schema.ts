/**
 * A tiny schema language for validating raw YAML and flags: every field knows its type, range and
 * the fix to suggest, unknown keys are rejected (with a "did you mean"), and all problems are
 * collected instead of stopping at the first. Parsing yields the normalized value with defaults.
 */

export interface SchemaIssue {
  readonly path: string;
  readonly message: string;
  readonly fix: string;
}

export interface Schema<T> {
  /** Human description of the expected value, used in messages ("a whole number from 0 to 100"). */
  readonly expected: string;
  /** An example value used in fixes. */
  readonly example: string;
  parse(value: unknown, path: string, issues: SchemaIssue[]): T | undefined;
}

/** Marks a value that must never be echoed in an error (it may hold a secret by mistake). */
export interface StringOptions {
  readonly pattern?: RegExp;
  readonly patternHint?: string;
  readonly example: string;
  readonly minLength?: number;
  readonly maxLength?: number;
  /** Extra rule run after the type checks; returns a message and fix, or undefined. */
  readonly check?: (v: string) => { message: string; fix: string } | undefined;
  /** Never echo the value in messages. */
  readonly sensitive?: boolean;
}

const show = (v: unknown, sensitive = false): string => {
  if (sensitive) return 'a value (not shown)';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
};

const join = (path: string, key: string): string => (path ? `${path}.${key}` : key);

export function str(opts: StringOptions): Schema<string> {
  const expected = opts.patternHint ?? 'a string';
  return {
    expected,
    example: opts.example,
    parse(v, path, issues) {
      if (typeof v !== 'string') {
        issues.push({ path, message: `must be ${expected}, got ${show(v, opts.sensitive)}`, fix: `set ${lastKey(path)}: ${opts.example}` });
        return undefined;
      }
      if (opts.minLength !== undefined && v.length < opts.minLength) {
        issues.push({ path, message: v.length === 0 ? 'must not be empty' : `must be at least ${opts.minLength} characters`, fix: `set ${lastKey(path)}: ${opts.example}` });
        return undefined;
      }
      if (opts.maxLength !== undefined && v.length > opts.maxLength) {
        issues.push({ path, message: `must be at most ${opts.maxLength} characters, got ${v.length}`, fix: `shorten it, e.g. ${opts.example}` });
        return undefined;
      }
      if (opts.pattern && !opts.pattern.test(v)) {
        issues.push({ path, message: `must be ${expected}, got ${show(v, opts.sensitive)}`, fix: `set ${lastKey(path)}: ${opts.example}` });
        return undefined;
      }
      const extra = opts.check?.(v);
      if (extra) {
        issues.push({ path, ...extra });
        return undefined;
      }
      return v;
    },
  };
}

export function int(opts: { min: number; max: number; example: number }): Schema<number> {
  const expected = `a whole number from ${opts.min} to ${opts.max}`;
  return {
    expected,
    example: String(opts.example),
    parse(v, path, issues) {
      if (typeof v !== 'number' || !Number.isInteger(v) || v < opts.min || v > opts.max) {
        issues.push({ path, message: `must be ${expected}, got ${show(v)}`, fix: `set ${lastKey(path)}: ${opts.example}` });
        return undefined;
      }
      return v;
    },
  };
}

export function bool(example = true): Schema<boolean> {
  return {
    expected: 'true or false',
    example: String(example),
    parse(v, path, issues) {
      if (typeof v !== 'boolean') {
        issues.push({ path, message: `must be true or false, got ${show(v)}`, fix: `set ${lastKey(path)}: ${example} (unquoted)` });
        return undefined;
      }
      return v;
    },
  };
}

export function oneOf<const T extends string>(values: readonly T[], fixHint?: string): Schema<T> {
  const expected = `one of ${values.join(', ')}`;
  return {
    expected,
    example: values[0] ?? '',
    parse(v, path, issues) {
      if (typeof v !== 'string' || !(values as readonly string[]).includes(v)) {
        const near = typeof v === 'string' ? closest(v, values) : undefined;
        issues.push({
          path,
          message: `must be ${expected}, got ${show(v)}`,
          fix: fixHint ?? (near ? `did you mean ${near}? set ${lastKey(path)}: ${near}` : `set ${lastKey(path)}: ${values[0]}`),
        });
        return undefined;
      }
      return v as T;
    },
  };
}

export function list<T>(item: Schema<T>, opts: { max?: number; unique?: boolean } = {}): Schema<T[]> {
  return {
    expected: `a list of ${item.expected}`,
    example: `[${item.example}]`,
    parse(v, path, issues) {
      if (!Array.isArray(v)) {
        issues.push({ path, message: `must be a list, got ${show(v)}`, fix: `write it as a YAML list, e.g. ${lastKey(path)}: [${item.example}]` });
        return undefined;
      }
      if (opts.max !== undefined && v.length > opts.max) {
        issues.push({ path, message: `must have at most ${opts.max} entries, got ${v.length}`, fix: 'remove entries' });
        return undefined;
      }
      const out: T[] = [];
      let ok = true;
      v.forEach((el, i) => {
        const parsed = item.parse(el, `${path}[${i}]`, issues);
        if (parsed === undefined) ok = false;
        else out.push(parsed);
      });
      if (ok && opts.unique) {
        const seen = new Set<string>();
        out.forEach((el, i) => {
          const k = JSON.stringify(el);
          if (seen.has(k)) {
            issues.push({ path: `${path}[${i}]`, message: `duplicates an earlier entry ${show(el)}`, fix: 'remove the duplicate' });
            ok = false;
          }
          seen.add(k);
        });
      }
      return ok ? out : undefined;
    },
  };
}

/** A field of an object schema: required, or optional with a default. */
export interface Field<T> {
  readonly schema: Schema<T>;
  readonly required: boolean;
  readonly default?: () => T;
}

export const required = <T>(schema: Schema<T>): Field<T> => ({ schema, required: true });
export const optional = <T>(schema: Schema<T>, fallback: T | (() => T)): Field<T> => ({
  schema,
  required: false,
  default: typeof fallback === 'function' ? (fallback as () => T) : () => structuredClone(fallback),
});
/** Optional with no default: absent stays undefined. */
export const maybe = <T>(schema: Schema<T>): Field<T | undefined> => ({ schema, required: false, default: () => undefined });

type FieldsOf<T> = { [K in keyof T]: Field<T[K]> };

export function object<T extends object>(fields: FieldsOf<T>, opts: { example?: string } = {}): Schema<T> {
  const keys = Object.keys(fields) as (keyof T & string)[];
  return {
    expected: 'a mapping',
    example: opts.example ?? '{}',
    parse(v, path, issues) {
      if (v === null || typeof v !== 'object' || Array.isArray(v)) {
        issues.push({ path: path || '(top level)', message: `must be a mapping, got ${show(v)}`, fix: `write ${path ? lastKey(path) : 'the file'} as key: value pairs` });
        return undefined;
      }
      const raw = v as Record<string, unknown>;
      let ok = true;
      for (const k of Object.keys(raw)) {
        if (!(k in fields)) {
          const near = closest(k, keys);
          issues.push({
            path: join(path, k),
            message: 'is not a known field',
            fix: near ? `did you mean ${near}? rename it` : `remove it; known fields here: ${keys.join(', ')}`,
          });
          ok = false;
        }
      }
      const out = {} as T;
      for (const k of keys) {
        const f = fields[k];
        const p = join(path, k);
        if (raw[k] === undefined) {
          if (f.required) {
            issues.push({ path: p, message: 'is required', fix: `add ${k}: ${f.schema.example}` });
            ok = false;
          } else {
            out[k] = f.default!() as T[typeof k];
          }
          continue;
        }
        const parsed = f.schema.parse(raw[k], p, issues);
        if (parsed === undefined) ok = false;
        else out[k] = parsed as T[typeof k];
      }
      return ok ? out : undefined;
    },
  };
}

function lastKey(path: string): string {
  const m = /([^.[\]]+)(\[\d+\])?$/.exec(path);
  return m?.[1] ?? path;
}

/** The closest candidate by edit distance, if it is close enough to be a likely typo. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = distance(word.toLowerCase(), c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}
