/**
 * The components in deploy order. The verify package composes the components' checks; the
 * pipelines and the task CLI look components up here.
 */
import type { Component, ComponentName } from '@stateless-ci/core';
import { arcComponent } from '@stateless-ci/arc';
import { digesterComponent } from '@stateless-ci/digester';
import { spegelComponent } from '@stateless-ci/spegel';

/** Deploy order: Spegel first (image pulls), then the digester (pins), then ARC (runners). */
export const COMPONENTS_IN_ORDER: readonly Component[] = [spegelComponent, digesterComponent, arcComponent];

export function componentByName(name: ComponentName): Component {
  const c = COMPONENTS_IN_ORDER.find((x) => x.name === name);
  if (!c) throw new Error(`unknown component ${name}`);
  return c;
}
