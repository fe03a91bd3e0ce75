/**
 * The Actions Runner Controller component: controller release in the controller namespace, one
 * scale set (release = AutoscalingRunnerSet = `runs-on:` label) in the runner namespace,
 * containerMode kubernetes-novolume, credentials in a Secret of their own.
 */
import type { Component } from '@stateless-ci/core';
import { applyArc } from './apply.ts';
import { prepare } from './prepare.ts';
import { desiredTarget, renderTarget, renderedObjects } from './render.ts';
import { rollbackArc, snapshotArc, type ArcSnapshot } from './rollback.ts';
import { stageArc } from './stage.ts';
import { uninstallArc } from './uninstall.ts';
import { verifyArc } from './verify/index.ts';
import { waitArc } from './wait.ts';

export const arcComponent: Component = {
  name: 'arc',
  title: 'Actions Runner Controller',
  async render(ctx) {
    const r = await renderTarget(ctx, desiredTarget(ctx.cluster, ctx.env));
    return { objects: renderedObjects(ctx.cluster, r), values: { controller: r.target.controllerValues, scaleSet: r.target.scaleSetValues } };
  },
  async plan(ctx) {
    return (await prepare(ctx)).plan;
  },
  snapshot: (ctx) => snapshotArc(ctx),
  stage: (ctx, before, needed) => stageArc(ctx, before as ArcSnapshot | undefined, needed),
  apply: (ctx) => applyArc(ctx),
  wait: (ctx) => waitArc(ctx),
  verify: (ctx) => verifyArc(ctx),
  rollback: (ctx, snapshot) => rollbackArc(ctx, snapshot as ArcSnapshot | undefined),
  uninstall: (ctx) => uninstallArc(ctx),
};
