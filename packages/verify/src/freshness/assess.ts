/**
 * Pure: the verdict for every container, from what the pods run and what the registry says.
 * Age is measured from the current image's created time (see README "Age"): a stale image whose
 * age cannot be read counts as older than --max-age, so a missing date never hides staleness.
 */
import type { Finding, ImageUse, RefResolution } from './types.ts';

export function assess(uses: readonly ImageUse[], results: ReadonlyMap<string, RefResolution>, now: number, maxAgeSeconds: number): Finding[] {
  return uses.map((use): Finding => {
    if (!use.refKey) return { use, status: 'pinned-digest', overMaxAge: false, reason: 'image names a digest without a tag; nothing to compare' };
    const r = results.get(use.refKey);
    if (!r) return { use, status: 'unresolvable', overMaxAge: false, reason: 'not resolved' };
    if (r.kind === 'unresolvable') return { use, status: 'unresolvable', overMaxAge: false, reason: r.reason };
    const currentDigest = r.tagDigest;
    if (r.missingArch) return { use, status: 'missing-arch', currentDigest, overMaxAge: false, reason: `${use.refKey} (${r.tagDigest.slice(0, 19)}) has no linux manifest for the cluster's architecture` };
    if (!use.runningDigest) return { use, status: 'unknown-running', currentDigest, overMaxAge: false, reason: 'the pod names no digest and its status has no imageID' };
    const verdict = r.running[use.runningDigest];
    if (verdict !== 'stale') return { use, status: 'current', currentDigest, overMaxAge: false };
    const ageSeconds = r.createdAt ? Math.max(0, Math.round((now - Date.parse(r.createdAt)) / 1000)) : undefined;
    return {
      use,
      status: 'stale',
      currentDigest,
      ageSeconds,
      overMaxAge: ageSeconds === undefined || ageSeconds > maxAgeSeconds,
      reason: ageSeconds === undefined ? 'the current image carries no created time; counted as older than --max-age' : undefined,
    };
  });
}

/** "3d4h", "25m", "40s": compact age for tables. */
export function formatAge(seconds: number | undefined): string {
  if (seconds === undefined) return 'unknown';
  const d = Math.floor(seconds / 86_400);
  const h = Math.floor((seconds % 86_400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  if (d > 0) return `${d}d${h ? `${h}h` : ''}`;
  if (h > 0) return `${h}h${m ? `${m}m` : ''}`;
  if (m > 0) return `${m}m`;
  return `${seconds}s`;
}
