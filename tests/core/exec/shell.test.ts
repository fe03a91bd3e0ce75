// The process runner: input goes through stdin; a program that exits without reading its input
// (here a missing binary, and `true`) is a CommandError with its exit code, never a crash (EPIPE).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { CommandError, createShell, run } from '@stateless-ci/core';

const t = suite('shell runner');
const sh = createShell({ PATH: process.env.PATH });
const BIG = 'x'.repeat(1 << 20);

t('input reaches the program through stdin', async () => {
  const r = await run(sh, 'wc', ['-c'], undefined, { input: BIG });
  assert.is(r.stdout.trim(), String(1 << 20));
});

t('a missing program with input is a CommandError, not an unhandled EPIPE', async () => {
  for (let i = 0; i < 5; i++) {
    const err = await run(sh, 'no-such-program-here', ['a'], undefined, { input: BIG }).then(() => undefined, (e: unknown) => e);
    assert.instance(err, CommandError);
    assert.is((err as CommandError).exitCode, 127);
  }
});

t('a program that ignores its input still succeeds', async () => {
  const r = await run(sh, 'true', [], undefined, { input: BIG });
  assert.is(r.stdout, '');
});

t.run();
