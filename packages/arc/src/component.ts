/**
 * The Actions Runner Controller component. Actions not yet built report so with exit code 1 (issue #6).
 */
import { NotBuiltError, type Component } from '@stateless-ci/core';

const notBuilt = (action: string) => (): never => {
  throw new NotBuiltError(`arc ${action}`, 6);
};

export const arcComponent: Component = {
  name: 'arc',
  title: 'Actions Runner Controller',
  render: notBuilt('render'),
  plan: notBuilt('plan'),
  snapshot: notBuilt('snapshot'),
  apply: notBuilt('apply'),
  wait: notBuilt('wait'),
  verify: notBuilt('verify'),
  rollback: notBuilt('rollback'),
  uninstall: notBuilt('uninstall'),
};
