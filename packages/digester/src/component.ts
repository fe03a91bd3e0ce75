/**
 * The k8s-digester component: upstream release manifests, transformed to the cluster-wide,
 * pods-only, fail-open scope, applied with server-side apply that leaves caBundle to the
 * digester's cert rotator; on an install, with the webhook certificate issued up front
 * (webhook-cert.ts) so the webhook serves as soon as its pods start.
 */
import { RefusedError, type ClusterContext, type Component, type KubeObject, type RenderContext, type Snapshot } from '@stateless-ci/core';
import { applyObjects } from './apply.ts';
import { certSecretAbsent } from './cert-seed.ts';
import { planObjects } from './plan.ts';
import { clearPrevious, loadPrevious, savePrevious } from './previous-revision.ts';
import { coversAll, rollbackTo, takeSnapshot } from './snapshot.ts';
import { defaultManifestIO, fetchManifests, type ManifestIO } from './source.ts';
import { transform } from './transform.ts';
import { uninstallObjects } from './uninstall.ts';
import { verifyDigester } from './verify/index.ts';
import { waitReady, type WaitOptions } from './wait.ts';
import { generateKeyPairs, issueWebhookCertificates, type KeyPairs, type WebhookCertificates } from './webhook-cert.ts';

export interface DigesterOptions {
  readonly io?: ManifestIO;
  readonly wait?: WaitOptions;
  /** The webhook certificate's key pairs, for an install (see webhook-cert.ts). @default generateKeyPairs */
  readonly keyPairs?: () => Promise<KeyPairs>;
  /** @default () => new Date() */
  readonly now?: () => Date;
}

export function createDigesterComponent(opts: DigesterOptions = {}): Component {
  const io = opts.io ?? defaultManifestIO;
  // One fetch, parse and transform per run (Helm.once: shared and frozen): preflight, plan,
  // snapshot and apply all render.
  const render = (ctx: RenderContext): Promise<readonly KubeObject[]> => {
    const c = ctx.cluster;
    const m = c.digester.manifests;
    return ctx.helm.once(`digester render ${JSON.stringify([m.source, m.version, ctx.env.STATELESS_CI_MANIFEST_MIRROR ?? '', c])}`, async () => {
      const fetched = await fetchManifests(m, ctx.env, c.file, io);
      ctx.log.debug(`digester: manifests from ${fetched.origin}`);
      return transform(await ctx.helm.parseManifests(fetched.text, fetched.origin), c);
    });
  };
  const keyPairs = opts.keyPairs ?? generateKeyPairs;
  const now = opts.now ?? (() => new Date());
  // An install's key pairs (RSA-2048 takes 50-300 ms of CPU) are generated off the main thread from
  // the moment the snapshot, taken under the deploy lock, shows the cert Secret absent: while
  // Spegel deploys, not on the digester's own turn. Kept per run (context) and only in memory.
  const pendingKeys = new WeakMap<ClusterContext, Promise<KeyPairs>>();
  const snapshotOf = async (ctx: ClusterContext, objects: readonly KubeObject[]): Promise<Snapshot> => {
    const s = await takeSnapshot(ctx, objects);
    if (certSecretAbsent(s, objects) && !pendingKeys.has(ctx)) {
      const keys = keyPairs();
      keys.catch(() => undefined); // surfaces in apply
      pendingKeys.set(ctx, keys);
    }
    return s;
  };
  const seedFor = (ctx: ClusterContext, before: Snapshot, objects: readonly KubeObject[]): Promise<WebhookCertificates> | undefined => {
    if (!certSecretAbsent(before, objects)) return undefined;
    const keys = pendingKeys.get(ctx) ?? keyPairs();
    pendingKeys.delete(ctx);
    return keys.then((k) => issueWebhookCertificates(ctx.cluster.digester.namespace, k, now()));
  };
  return {
    name: 'digester',
    title: 'k8s-digester',
    render: async (ctx) => ({ objects: [...(await render(ctx))] }),
    plan: async (ctx) => planObjects(ctx, await render(ctx)),
    snapshot: async (ctx) => snapshotOf(ctx, await render(ctx)),
    apply: async (ctx, given) => {
      const objects = await render(ctx);
      // The pipeline's snapshot, taken under the lock just now, is the state before this apply.
      const before = given && coversAll(given, objects) ? given : await snapshotOf(ctx, objects);
      let changed = true;
      try {
        const result = await applyObjects(ctx, objects, before, seedFor(ctx, before, objects));
        changed = result.changed;
        return result;
      } finally {
        // Keep the state before this apply for a CLI rollback, unless nothing changed (a no-op writes nothing).
        if (changed) await savePrevious(ctx, before);
      }
    },
    // Waiting changes nothing, so it needs no rollback.
    wait: (ctx) => waitReady(ctx, opts.wait),
    verify: (ctx) => verifyDigester(ctx),
    rollback: async (ctx, snapshot) => {
      const target = snapshot ?? (await loadPrevious(ctx));
      if (!target) {
        throw new RefusedError(
          'no previous digester revision is recorded (none was applied by this tool, or it was already rolled back); to go back by hand, pin the previous digester.manifests.version and apply, or run: pnpm task digester uninstall',
        );
      }
      const summary = await rollbackTo(ctx, target);
      await clearPrevious(ctx);
      return summary;
    },
    uninstall: async (ctx) => {
      const removed = await uninstallObjects(ctx, await render(ctx));
      await clearPrevious(ctx);
      ctx.log.info(`digester: removed ${removed.length} objects`);
    },
  };
}

export const digesterComponent: Component = createDigesterComponent();
