// Flag sets: each bad one asserts its message (part of the bad-input corpus), good ones parse.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ConfigError, durationMs, formatIssue, parseFlags, type FlagSpec } from '@stateless-ci/core';

const SPEC = {
  cluster: { type: 'string', description: 'cluster', example: 'theia-prod' },
  context: { type: 'string', description: 'context', example: 'theia-prod' },
  json: { type: 'boolean', description: 'json' },
  rollback: { type: 'boolean', description: 'rollback' },
  'max-age': { type: 'duration', description: 'age', example: '24h' },
  concurrency: { type: 'integer', description: 'n', min: 1, max: 64, example: '8' },
  format: { type: 'string', description: 'f', choices: ['table', 'json', 'prometheus'] },
} as const satisfies FlagSpec;

const bad: [string[], string[]][] = [
  [['--clustr', 'parma'], ['command line: --clustr: is not a known flag. Fix: did you mean --cluster?']],
  [['--cluster'], ['--cluster: needs a value']],
  [['--cluster', '--json'], ['--cluster: needs a value']],
  [['--json=maybe'], ['--json: takes no value, got "maybe"']],
  [['--max-age', 'tomorrow'], ['--max-age: must be a duration like 90s, 30m or 24h, got "tomorrow"']],
  [['--concurrency', '0'], ['--concurrency: must be a whole number from 1 to 64, got "0"']],
  [['--concurrency', 'lots'], ['--concurrency: must be a whole number from 1 to 64, got "lots"']],
  [['--format', 'yml'], ['--format: must be one of table, json, prometheus, got "yml"']],
  [['--cluster', 'a', '--cluster', 'b'], ['--cluster: is given more than once']],
  [['-c', 'parma'], ['-c: is not a known flag']],
  [['--cluster='], ['--cluster: must not be empty']],
  [['--bogus', '--format', 'x', '--concurrency', '99'], ['--bogus: is not a known flag', '--format: must be one of', '--concurrency: must be a whole number']],
];

for (const [argv, wants] of bad) {
  test(`rejects ${argv.join(' ')}`, () => {
    try {
      parseFlags(argv, SPEC);
      assert.unreachable('accepted');
    } catch (e) {
      assert.instance(e, ConfigError);
      const lines = (e as ConfigError).issues.map(formatIssue);
      for (const w of wants) assert.ok(lines.some((l) => l.includes(w)), `missing "${w}" in ${lines.join(' | ')}`);
      for (const l of lines) assert.match(l, /^command line: .+\. Fix: \S/);
    }
  });
}

test('parses values, booleans, --no- negation and positionals', () => {
  const r = parseFlags(['spegel', 'render', '--cluster', 'parma', '--json', '--no-rollback', '--max-age=2h', '--concurrency', '4'], SPEC);
  assert.equal(r.positionals, ['spegel', 'render']);
  assert.equal(r.flags, { cluster: 'parma', json: true, rollback: false, 'max-age': '2h', concurrency: 4 });
  assert.is(r.help, false);
});

test('--help is always accepted', () => {
  assert.is(parseFlags(['--help'], SPEC).help, true);
  assert.is(parseFlags(['-h'], SPEC).help, true);
});

test('durationMs', () => {
  assert.is(durationMs('90s'), 90_000);
  assert.is(durationMs('24h'), 86_400_000);
  assert.throws(() => durationMs('1 day'));
});

test.run();
