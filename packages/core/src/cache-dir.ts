/** Where the tool keeps what it caches across runs. */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';

/** `$STATELESS_CI_CACHE_DIR`, else `$XDG_CACHE_HOME/stateless-ci`, else `~/.cache/stateless-ci`; undefined when set to "off". */
export function cacheRootFor(env: Readonly<Record<string, string | undefined>>): string | undefined {
  if (env.STATELESS_CI_CACHE_DIR === 'off') return undefined;
  return env.STATELESS_CI_CACHE_DIR || path.join(env.XDG_CACHE_HOME || path.join(env.HOME || homedir(), '.cache'), 'stateless-ci');
}

/** Writes a cache entry atomically (a unique temporary file, then rename), creating its directory: a crash or a concurrent run never leaves half a file. */
export async function writeCacheFile(file: string, data: string | Uint8Array, mode = 0o644): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await writeFile(tmp, data, { mode });
  await rename(tmp, file);
}
