// Runs a command script (scripts/<name>.mts) from one bundled file: `node scripts/run.mjs <name> [args]`.
//
// Through tsx, a command spent ~1.1 s loading modules before doing anything: tsx's loader hooks
// run for every one of @kubernetes/client-node's ~1,000 files (0.8 s of it; 0.4 s in plain node).
// One esbuild bundle loads in ~0.1 s. The bundle is kept in the cache directory
// ($STATELESS_CI_CACHE_DIR, else $XDG_CACHE_HOME/stateless-ci, else ~/.cache/stateless-ci; "off"
// bundles into a temporary directory every time), named by a fingerprint of every source file
// (path, size, mtime), the lockfile, node and esbuild: an edit rebuilds it (~0.5 s) on the next run.
//
// The bundle is CommonJS so that V8's code cache can be kept beside it (node 20 has none for ES
// modules): compiling the 2.7 MB bundle and the functions a deploy runs took ~50-90 ms of every
// start. A run writes the cache when there is none, when V8 rejected it, or when the run lasted
// over twice as long as the run that wrote it (a `--help` writes a thin cache; a deploy then
// replaces it once with the functions a deploy needs). Plain JavaScript, so it starts without tsx.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { Script } from 'node:vm';

const root = path.resolve(import.meta.dirname, '..');
const [name, ...args] = process.argv.slice(2);
const entry = name && /^[a-z][a-z0-9-]*$/.test(name) ? path.join(root, 'scripts', `${name}.mts`) : undefined;
if (!entry || !existsSync(entry)) {
  process.stderr.write(`error: scripts/run.mjs: no command script "${name ?? ''}" in scripts/. Fix: name one of ${readdirSync(path.join(root, 'scripts')).filter((f) => f.endsWith('.mts')).map((f) => f.slice(0, -4)).join(', ')}\n`);
  process.exit(2);
}

/** Source files a bundle is made from: packages' sources, scripts, the harness, manifests, lockfile. */
function sources() {
  const out = [path.join(root, 'pnpm-lock.yaml'), path.join(root, 'package.json')];
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(m?ts|m?js|json)$/.test(e.name)) out.push(p);
    }
  };
  walk(path.join(root, 'scripts'));
  walk(path.join(root, 'tests', 'harness')); // the sandbox command imports the harness
  for (const pkg of readdirSync(path.join(root, 'packages'))) walk(path.join(root, 'packages', pkg));
  return out.sort();
}

const esbuildVersion = createRequire(import.meta.url)('esbuild/package.json').version;
const fingerprint = createHash('sha256').update(`${process.version}\0${esbuildVersion}\0${name}\n`);
for (const f of sources()) {
  const s = statSync(f);
  fingerprint.update(`${path.relative(root, f)}\0${s.size}\0${s.mtimeMs}\n`);
}
const digest = fingerprint.digest('hex').slice(0, 32);

const env = process.env;
const cacheRoot = env.STATELESS_CI_CACHE_DIR === 'off' ? undefined : env.STATELESS_CI_CACHE_DIR || path.join(env.XDG_CACHE_HOME || path.join(env.HOME || homedir(), '.cache'), 'stateless-ci');
const dir = cacheRoot ? path.join(cacheRoot, 'cli') : mkdtempSync(path.join(tmpdir(), 'stateless-ci-cli-'));
const bundle = path.join(dir, `${name}-${digest}.cjs`);
const codeCache = `${bundle}.code-cache`;

if (!existsSync(bundle)) {
  const { build } = await import('esbuild');
  mkdirSync(dir, { recursive: true });
  const tmp = `${bundle}.${process.pid}.tmp`;
  process.once('exit', () => rmSync(tmp, { force: true })); // a failed build leaves nothing behind
  await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: `node${process.versions.node.split('.')[0]}`,
    outfile: tmp,
    logLevel: 'warning',
    // The sources are ES modules: import.meta means the bundle file, as it would in an ESM bundle.
    define: { 'import.meta.url': '__import_meta_url', 'import.meta.dirname': '__dirname', 'import.meta.filename': '__filename' },
    banner: { js: "var __import_meta_url = require('node:url').pathToFileURL(__filename).href;" },
  });
  renameSync(tmp, bundle); // atomic: a concurrent run sees the whole bundle or none
  // Older bundles of this command are dead weight once a day old: a second checkout sharing the
  // cache keeps its own (younger) bundle, so neither deletes the one the other is about to load.
  const dayAgo = Date.now() - 24 * 3600 * 1000;
  for (const f of readdirSync(dir)) {
    const p = path.join(dir, f);
    if (f.startsWith(`${name}-`) && !p.startsWith(bundle) && statSync(p, { throwIfNoEntry: false })?.mtimeMs < dayAgo) rmSync(p, { force: true });
  }
}

// The bundle lives outside the repository: tell the code where the repository (clusters/) is, and
// how to start this command again (entering the sandbox's network namespace re-runs it).
env.STATELESS_CI_REPO_ROOT = root;
env.STATELESS_CI_RELAUNCH = JSON.stringify([path.join(root, 'scripts', 'run.mjs'), name]);
process.argv = [process.argv[0], entry, ...args];

// The code cache: the wall time in ms of the run that wrote it (4 bytes), then V8's cached data.
const started = performance.now();
let cached;
if (cacheRoot) {
  try {
    const buf = readFileSync(codeCache);
    if (buf.length > 4) cached = { writtenByMs: buf.readUInt32LE(0), data: buf.subarray(4) };
  } catch {
    // none yet
  }
}
const script = new Script(`(function (exports, require, module, __filename, __dirname) {${readFileSync(bundle, 'utf8')}\n})`, { filename: bundle, cachedData: cached?.data });
if (cacheRoot) {
  process.once('exit', () => {
    const ms = Math.round(performance.now() - started);
    if (cached && !script.cachedDataRejected && ms <= 2 * cached.writtenByMs) return;
    const header = Buffer.alloc(4);
    header.writeUInt32LE(Math.min(ms, 0xffffffff));
    const tmp = `${codeCache}.${process.pid}.tmp`;
    try {
      writeFileSync(tmp, Buffer.concat([header, script.createCachedData()]));
      renameSync(tmp, codeCache); // atomic, like the bundle
    } catch {
      rmSync(tmp, { force: true }); // a cache is an optimisation: failing to keep one changes nothing
    }
  });
}
const bundleModule = { exports: {} };
script.runInThisContext()(bundleModule.exports, createRequire(bundle), bundleModule, bundle, path.dirname(bundle));
