// scripts/run.mjs: each command runs from a bundle kept in the cache directory, rebuilt only when a
// source file changed, with V8's code cache beside it; an unknown command is refused with the list
// of commands.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';

const root = path.resolve(import.meta.dirname, '../..');
const t = suite<{ cache: string }>('scripts/run.mjs', { cache: '' });
t.before.each(async (c) => {
  c.cache = await mkdtemp(path.join(tmpdir(), 'run-mjs-'));
});
t.after.each(async (c) => {
  await rm(c.cache, { recursive: true, force: true });
});

function run(cache: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(root, 'scripts/run.mjs'), ...args], { cwd: root, env: { ...process.env, STATELESS_CI_CACHE_DIR: cache } }, (err, stdout, stderr) =>
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const bundles = async (cache: string) => (await readdir(path.join(cache, 'cli')).catch(() => [] as string[])).filter((f) => f.endsWith('.cjs'));

t('a command runs from its bundle; the next run reuses it; a changed source rebuilds it', async ({ cache }) => {
  const first = await run(cache, ['verify', '--cluster', 'theia-prod', '--help']);
  assert.is(first.code, 0, first.stderr);
  assert.match(first.stdout, /usage: pnpm verify:amd\|verify:arm/);
  const [bundle] = await bundles(cache);
  assert.match(bundle ?? '', /^verify-[0-9a-f]{32}\.cjs$/);
  const built = (await stat(path.join(cache, 'cli', bundle!))).mtimeMs;
  assert.is((await run(cache, ['verify', '--cluster', 'theia-prod', '--help'])).code, 0);
  assert.equal(await bundles(cache), [bundle], 'reused');
  assert.is((await stat(path.join(cache, 'cli', bundle!))).mtimeMs, built, 'not rebuilt');
  // An edit (here: a new mtime on a source file) makes a new bundle and drops the old one once it is a day old.
  const source = path.join(root, 'packages/verify/src/index.ts');
  const s = await stat(source);
  const old = path.join(cache, 'cli', bundle!);
  try {
    await utimes(old, new Date(), new Date(Date.now() - 25 * 3600 * 1000));
    await utimes(source, s.atime, new Date(s.mtimeMs + 1000));
    assert.is((await run(cache, ['verify', '--cluster', 'theia-prod', '--help'])).code, 0);
    const after = await bundles(cache);
    assert.is(after.length, 1);
    assert.is.not(after[0], bundle);
  } finally {
    await utimes(source, s.atime, s.mtime);
  }
});

t('the code cache is written beside the bundle; a damaged one is ignored and written again', async ({ cache }) => {
  assert.is((await run(cache, ['verify', '--cluster', 'theia-prod', '--help'])).code, 0);
  const [bundle] = await bundles(cache);
  const codeCache = path.join(cache, 'cli', `${bundle}.code-cache`);
  assert.ok((await stat(codeCache)).size > 100_000, 'V8 cached data for the bundle');
  const garbage = Buffer.concat([Buffer.from([1, 0, 0, 0]), Buffer.alloc(4096, 7)]);
  await writeFile(codeCache, garbage);
  const again = await run(cache, ['verify', '--cluster', 'theia-prod', '--help']);
  assert.is(again.code, 0, again.stderr);
  assert.match(again.stdout, /usage: pnpm verify:amd\|verify:arm/);
  assert.not.equal(await readFile(codeCache), garbage, 'rejected by V8, so written again');
  assert.equal((await readdir(path.join(cache, 'cli'))).filter((f) => f.includes('.tmp')), [], 'no temporary file left');
});

t('input errors come through with their exit code', async ({ cache }) => {
  const r = await run(cache, ['deploy-amd', '--bogus']);
  assert.is(r.code, 2);
  assert.match(r.stderr, /--bogus: is not a known flag/);
});

t('an unknown command is refused, naming the commands there are', async ({ cache }) => {
  const r = await run(cache, ['nope']);
  assert.is(r.code, 2);
  assert.match(r.stderr, /no command script "nope" in scripts\/\. Fix: name one of .*deploy-amd/);
  assert.equal(await bundles(cache), []);
});

t.run();
