/**
 * Pure: a small TOML reader for containerd configuration files: tables and arrays of tables with
 * quoted segments, dotted keys, basic and literal strings (also multi-line), integers, floats,
 * booleans, arrays (multi-line) and inline tables. Dates stay strings. Not a general validator.
 */

export type TomlValue = string | number | boolean | TomlValue[] | TomlTable;
export interface TomlTable {
  [key: string]: TomlValue;
}

export class TomlSyntaxError extends Error {
  constructor(line: number, message: string) {
    super(`TOML line ${line}: ${message}`);
    this.name = 'TomlSyntaxError';
  }
}

class Reader {
  pos = 0;
  readonly s: string;
  constructor(s: string) {
    this.s = s;
  }
  get line(): number {
    return this.s.slice(0, this.pos).split('\n').length;
  }
  peek(n = 0): string {
    return this.s[this.pos + n] ?? '';
  }
  startsWith(t: string): boolean {
    return this.s.startsWith(t, this.pos);
  }
  skipSpace(newlines: boolean): void {
    for (;;) {
      const c = this.peek();
      if (c === ' ' || c === '\t' || c === '\r' || (newlines && c === '\n')) this.pos++;
      else if (c === '#') while (this.pos < this.s.length && this.peek() !== '\n') this.pos++;
      else return;
    }
  }
  fail(msg: string): never {
    throw new TomlSyntaxError(this.line, msg);
  }
}

function readString(r: Reader): string {
  const q = r.peek();
  const multi = r.startsWith(q.repeat(3));
  r.pos += multi ? 3 : 1;
  if (multi && r.peek() === '\n') r.pos++;
  let out = '';
  for (;;) {
    if (r.pos >= r.s.length) r.fail('unterminated string');
    if (multi ? r.startsWith(q.repeat(3)) : r.peek() === q) {
      r.pos += multi ? 3 : 1;
      return out;
    }
    const c = r.peek();
    if (!multi && c === '\n') r.fail('newline in string');
    if (q === '"' && c === '\\') {
      const e = r.peek(1);
      const map: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\', b: '\b', f: '\f' };
      if (e === 'u' || e === 'U') {
        const len = e === 'u' ? 4 : 8;
        out += String.fromCodePoint(parseInt(r.s.slice(r.pos + 2, r.pos + 2 + len), 16));
        r.pos += 2 + len;
      } else if (multi && e === '\n') {
        r.pos += 2;
        r.skipSpace(true);
      } else {
        out += map[e] ?? r.fail(`bad escape \\${e}`);
        r.pos += 2;
      }
      continue;
    }
    out += c;
    r.pos++;
  }
}

function readKey(r: Reader): string[] {
  const parts: string[] = [];
  for (;;) {
    r.skipSpace(false);
    const c = r.peek();
    if (c === '"' || c === "'") parts.push(readString(r));
    else {
      const m = /^[A-Za-z0-9_-]+/.exec(r.s.slice(r.pos));
      if (!m) r.fail(`expected a key, found ${JSON.stringify(c)}`);
      parts.push(m[0]);
      r.pos += m[0].length;
    }
    r.skipSpace(false);
    if (r.peek() !== '.') return parts;
    r.pos++;
  }
}

function readValue(r: Reader): TomlValue {
  r.skipSpace(false);
  const c = r.peek();
  if (c === '"' || c === "'") return readString(r);
  if (c === '[') {
    r.pos++;
    const arr: TomlValue[] = [];
    for (;;) {
      r.skipSpace(true);
      if (r.peek() === ']') {
        r.pos++;
        return arr;
      }
      arr.push(readValue(r));
      r.skipSpace(true);
      if (r.peek() === ',') r.pos++;
      else if (r.peek() !== ']') r.fail('expected , or ] in array');
    }
  }
  if (c === '{') {
    r.pos++;
    const t: TomlTable = {};
    r.skipSpace(false);
    if (r.peek() === '}') {
      r.pos++;
      return t;
    }
    for (;;) {
      const key = readKey(r);
      if (r.peek() !== '=') r.fail('expected = in inline table');
      r.pos++;
      setPath(r, t, key, readValue(r));
      r.skipSpace(false);
      if (r.peek() === ',') r.pos++;
      else if (r.peek() === '}') {
        r.pos++;
        return t;
      } else r.fail('expected , or } in inline table');
    }
  }
  const m = /^[^\s,\]}#]+/.exec(r.s.slice(r.pos));
  if (!m) r.fail('expected a value');
  r.pos += m[0].length;
  const w = m[0];
  if (w === 'true') return true;
  if (w === 'false') return false;
  const num = w.replace(/_/g, '');
  if (/^[+-]?(0x[0-9a-fA-F]+|0o[0-7]+|0b[01]+)$/.test(num)) return Number(num.replace(/^\+/, ''));
  if (/^[+-]?(\d+(\.\d+)?([eE][+-]?\d+)?|inf|nan)$/.test(num)) return num.endsWith('inf') ? (num.startsWith('-') ? -Infinity : Infinity) : Number(num);
  return w; // dates and times stay strings
}

function table(r: Reader, root: TomlTable, path: readonly string[]): TomlTable {
  let t = root;
  for (const p of path) {
    let next = t[p];
    if (next === undefined) next = t[p] = {};
    if (Array.isArray(next)) next = next[next.length - 1]!;
    if (typeof next !== 'object') r.fail(`key ${path.join('.')} is not a table`);
    t = next as TomlTable;
  }
  return t;
}

function setPath(r: Reader, t: TomlTable, key: readonly string[], value: TomlValue): void {
  const parent = table(r, t, key.slice(0, -1));
  const last = key[key.length - 1]!;
  if (last in parent) r.fail(`duplicate key ${key.join('.')}`);
  parent[last] = value;
}

export function parseToml(text: string): TomlTable {
  const r = new Reader(text);
  const root: TomlTable = {};
  let current = root;
  for (;;) {
    r.skipSpace(true);
    if (r.pos >= r.s.length) return root;
    if (r.startsWith('[[')) {
      r.pos += 2;
      const key = readKey(r);
      if (!r.startsWith(']]')) r.fail('expected ]]');
      r.pos += 2;
      const parent = table(r, root, key.slice(0, -1));
      const last = key[key.length - 1]!;
      const arr = (parent[last] ??= []) as TomlValue[];
      if (!Array.isArray(arr)) r.fail(`key ${key.join('.')} is not an array of tables`);
      const t: TomlTable = {};
      arr.push(t);
      current = t;
    } else if (r.peek() === '[') {
      r.pos++;
      const key = readKey(r);
      if (r.peek() !== ']') r.fail('expected ]');
      r.pos++;
      current = table(r, root, key);
    } else {
      const key = readKey(r);
      if (r.peek() !== '=') r.fail(`expected = after key ${key.join('.')}`);
      r.pos++;
      setPath(r, current, key, readValue(r));
    }
    r.skipSpace(false);
    if (r.pos < r.s.length && r.peek() !== '\n') r.fail(`unexpected ${JSON.stringify(r.peek())} after value`);
  }
}
