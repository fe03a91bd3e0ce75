/** Where the tool keeps what it caches across runs. */
import { homedir } from 'node:os';
import path from 'node:path';

/** `$STATELESS_CI_CACHE_DIR`, else `$XDG_CACHE_HOME/stateless-ci`, else `~/.cache/stateless-ci`; undefined when set to "off". */
export function cacheRootFor(env: Readonly<Record<string, string | undefined>>): string | undefined {
  if (env.STATELESS_CI_CACHE_DIR === 'off') return undefined;
  return env.STATELESS_CI_CACHE_DIR || path.join(env.XDG_CACHE_HOME || path.join(env.HOME || homedir(), '.cache'), 'stateless-ci');
}
