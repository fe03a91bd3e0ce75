/**
 * Choosing the kube context. The cluster file names the context it belongs to; the tool refuses to
 * act on any other one unless the user names it explicitly with --context.
 */
import { KubeConfig } from '@kubernetes/client-node';
import { COMMAND_LINE } from '../config/flags.ts';
import type { ClusterConfig } from '../config/cluster-config.ts';
import { ConfigError, RefusedError } from '../errors.ts';

export interface ContextChoice {
  /** --kubeconfig, else KUBECONFIG, else ~/.kube/config. */
  readonly kubeconfig?: string;
  /** --context, when the user gave it. */
  readonly context?: string;
}

export interface KubeConfigLoader {
  load(path: string | undefined): KubeConfig;
}

export const defaultKubeConfigLoader: KubeConfigLoader = {
  load(path) {
    const kc = new KubeConfig();
    if (path) kc.loadFromFile(path);
    else kc.loadFromDefault();
    return kc;
  },
};

/** Pure guard: which context to use, or why not. */
export function chooseContext(cluster: ClusterConfig, available: readonly string[], current: string, explicit: string | undefined): string {
  const wanted = explicit ?? current;
  if (explicit !== undefined && !available.includes(explicit)) {
    throw new ConfigError([
      { file: COMMAND_LINE, path: '--context', message: `no context named ${explicit} in the kubeconfig`, fix: available.length ? `use one of: ${available.join(', ')}` : 'check --kubeconfig or KUBECONFIG' },
    ]);
  }
  if (!wanted || !available.includes(wanted)) {
    throw new ConfigError([
      { file: COMMAND_LINE, path: '--context', message: 'the kubeconfig has no current context', fix: `pass --context ${cluster.kubeContext} or run: kubectl config use-context ${cluster.kubeContext}` },
    ]);
  }
  if (explicit === undefined && wanted !== cluster.kubeContext) {
    throw new RefusedError(
      `refusing to act on kube context "${wanted}": ${cluster.file} belongs to "${cluster.kubeContext}". ` +
        `Switch with: kubectl config use-context ${cluster.kubeContext} (or pass --context ${wanted} if you really mean it)`,
    );
  }
  return wanted;
}

export function loadKubeConfig(cluster: ClusterConfig, choice: ContextChoice, loader: KubeConfigLoader = defaultKubeConfigLoader): KubeConfig {
  let kc: KubeConfig;
  try {
    kc = loader.load(choice.kubeconfig);
  } catch (e) {
    throw new ConfigError([
      { file: choice.kubeconfig ?? process.env.KUBECONFIG ?? '~/.kube/config', path: '(kubeconfig)', message: `cannot be read: ${(e as Error).message.split('\n')[0]}`, fix: 'pass --kubeconfig PATH or set KUBECONFIG' },
    ]);
  }
  const name = chooseContext(cluster, kc.getContexts().map((c) => c.name), kc.getCurrentContext(), choice.context);
  kc.setCurrentContext(name);
  return kc;
}
