/**
 * The k8s-digester component: upstream release manifests, transformed to the cluster-wide,
 * pods-only, fail-open scope, applied with server-side apply that leaves caBundle to the
 * digester's cert rotator.
 */
import { RefusedError, parseManifests, type Component, type RenderContext } from '@stateless-ci/core';
import { applyObjects } from './apply.ts';
import { planObjects } from './plan.ts';
import { rollbackTo, takeSnapshot } from './snapshot.ts';
import { defaultManifestIO, fetchManifests, type ManifestIO } from './source.ts';
import { transform } from './transform.ts';
import { uninstallObjects } from './uninstall.ts';
import { verifyDigester } from './verify/index.ts';
import { waitReady, type WaitOptions } from './wait.ts';

export interface DigesterOptions {
  readonly io?: ManifestIO;
  readonly wait?: WaitOptions;
}

export function createDigesterComponent(opts: DigesterOptions = {}): Component {
  const io = opts.io ?? defaultManifestIO;
  const render = async (ctx: RenderContext) => {
    const c = ctx.cluster;
    const fetched = await fetchManifests(c.digester.manifests, ctx.env, c.file, io);
    ctx.log.debug(`digester: manifests from ${fetched.origin}`);
    return transform(parseManifests(fetched.text, fetched.origin), c);
  };
  return {
    name: 'digester',
    title: 'k8s-digester',
    render: async (ctx) => ({ objects: await render(ctx) }),
    plan: async (ctx) => planObjects(ctx, await render(ctx)),
    snapshot: async (ctx) => takeSnapshot(ctx, await render(ctx)),
    apply: async (ctx) => applyObjects(ctx, await render(ctx)),
    // Waiting changes nothing, so it needs no rollback.
    wait: (ctx) => waitReady(ctx, opts.wait),
    verify: (ctx) => verifyDigester(ctx),
    rollback: async (ctx, snapshot) => {
      if (!snapshot) {
        throw new RefusedError(
          'digester rollback needs the snapshot the deploy pipeline takes before it applies; to go back by hand, pin the previous digester.manifests.version and apply, or run: pnpm task digester uninstall',
        );
      }
      return rollbackTo(ctx, snapshot);
    },
    uninstall: async (ctx) => {
      const removed = await uninstallObjects(ctx, await render(ctx));
      ctx.log.info(`digester: removed ${removed.length} objects`);
    },
  };
}

export const digesterComponent: Component = createDigesterComponent();
