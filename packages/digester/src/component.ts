/**
 * The k8s-digester component. Actions not yet built report so with exit code 1 (issue #5).
 */
import { NotBuiltError, type Component } from '@stateless-ci/core';

const notBuilt = (action: string) => (): never => {
  throw new NotBuiltError(`digester ${action}`, 5);
};

export const digesterComponent: Component = {
  name: 'digester',
  title: 'k8s-digester',
  render: notBuilt('render'),
  plan: notBuilt('plan'),
  snapshot: notBuilt('snapshot'),
  apply: notBuilt('apply'),
  wait: notBuilt('wait'),
  verify: notBuilt('verify'),
  rollback: notBuilt('rollback'),
  uninstall: notBuilt('uninstall'),
};
