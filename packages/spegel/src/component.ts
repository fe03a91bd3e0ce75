/**
 * The Spegel component. Actions not yet built report so with exit code 1 (issue #4).
 */
import { NotBuiltError, type Component } from '@stateless-ci/core';

const notBuilt = (action: string) => (): never => {
  throw new NotBuiltError(`spegel ${action}`, 4);
};

export const spegelComponent: Component = {
  name: 'spegel',
  title: 'Spegel',
  render: notBuilt('render'),
  plan: notBuilt('plan'),
  snapshot: notBuilt('snapshot'),
  apply: notBuilt('apply'),
  wait: notBuilt('wait'),
  verify: notBuilt('verify'),
  rollback: notBuilt('rollback'),
  uninstall: notBuilt('uninstall'),
};
