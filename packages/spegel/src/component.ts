/** The Spegel component: the task model's actions wired to this package's modules. */
import type { Component } from '@stateless-ci/core';
import { applySpegel, snapshotSpegel } from './apply.ts';
import { planSpegel } from './plan.ts';
import { renderSpegel } from './render.ts';
import { rollbackSpegel, uninstallSpegel } from './rollback.ts';
import type { ChartValues } from './values.ts';
import { verifySpegel, type VerifyOptions } from './verify/index.ts';
import { waitSpegel, type WaitOptions } from './wait.ts';

export interface SpegelComponentOptions {
  /** Chart values merged over the ones derived from the cluster file (tests, emergencies). */
  readonly valueOverrides?: ChartValues;
  readonly wait?: WaitOptions;
  readonly verify?: VerifyOptions;
}

export function createSpegelComponent(o: SpegelComponentOptions = {}): Component {
  return {
    name: 'spegel',
    title: 'Spegel',
    render: (ctx) => renderSpegel(ctx, o.valueOverrides),
    plan: (ctx) => planSpegel(ctx, o.valueOverrides),
    snapshot: (ctx) => snapshotSpegel(ctx),
    apply: (ctx, before) => applySpegel(ctx, o.valueOverrides, before),
    wait: async (ctx) => void (await waitSpegel(ctx, o.wait)),
    verify: (ctx) => verifySpegel(ctx, o.verify),
    rollback: (ctx, snapshot) => rollbackSpegel(ctx, snapshot),
    uninstall: (ctx) => uninstallSpegel(ctx),
  };
}

export const spegelComponent: Component = createSpegelComponent();
