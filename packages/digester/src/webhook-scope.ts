/**
 * Pure structural checks of a live MutatingWebhookConfiguration against the design: which
 * namespaces it can never touch, which resources it sees, and that it fails open quickly.
 * "Excluded" means excluded by the selector's structure (on the immutable
 * kubernetes.io/metadata.name label), so relabelling a namespace cannot bring it into scope.
 */
import { digesterExcludedNamespaces, fail, pass, warn, type Check, type ClusterConfig, type KubeObject } from '@stateless-ci/core';
import { NAMESPACE_NAME_LABEL } from './names.ts';

export interface LabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: readonly { readonly key: string; readonly operator: string; readonly values?: readonly string[] }[];
}

export interface WebhookRule {
  readonly apiGroups?: readonly string[];
  readonly apiVersions?: readonly string[];
  readonly operations?: readonly string[];
  readonly resources?: readonly string[];
  readonly scope?: string;
}

export interface MutatingWebhook {
  readonly name: string;
  readonly namespaceSelector?: LabelSelector;
  readonly objectSelector?: LabelSelector;
  readonly rules?: readonly WebhookRule[];
  readonly failurePolicy?: string;
  readonly timeoutSeconds?: number;
  readonly clientConfig?: { readonly caBundle?: string; readonly url?: string; readonly service?: { readonly name: string; readonly namespace: string } };
}

export const webhooksOf = (mwc: KubeObject): readonly MutatingWebhook[] => (mwc.webhooks as MutatingWebhook[] | undefined) ?? [];

/** Kubernetes label-selector semantics: every requirement must hold. */
export function selectorMatches(sel: LabelSelector | undefined, labels: Readonly<Record<string, string>>): boolean {
  if (!sel) return true;
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of sel.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, e.key);
    const value = labels[e.key];
    const values = e.values ?? [];
    const ok =
      e.operator === 'In' ? has && values.includes(value!) :
      e.operator === 'NotIn' ? !has || !values.includes(value!) :
      e.operator === 'Exists' ? has :
      e.operator === 'DoesNotExist' ? !has :
      false;
    if (!ok) return false;
  }
  return true;
}

/** True when no labelling of namespace `ns` can make `sel` match it. */
export function provablyExcluded(sel: LabelSelector | undefined, ns: string): boolean {
  if (!sel) return false;
  const ml = sel.matchLabels?.[NAMESPACE_NAME_LABEL];
  if (ml !== undefined && ml !== ns) return true;
  return (sel.matchExpressions ?? []).some(
    (e) =>
      e.key === NAMESPACE_NAME_LABEL &&
      ((e.operator === 'NotIn' && (e.values ?? []).includes(ns)) || (e.operator === 'In' && !(e.values ?? []).includes(ns)) || e.operator === 'DoesNotExist'),
  );
}

const POD_RESOURCES = new Set(['pods']);

export function scopeCheck(mwc: KubeObject, c: ClusterConfig, runnerLabels: Readonly<Record<string, string>> = {}): Check {
  const name = 'digester.webhook-scope';
  const hooks = webhooksOf(mwc);
  if (hooks.length === 0) return fail(name, `${mwc.metadata.name} has no webhooks`);
  const mustExclude = digesterExcludedNamespaces(c);
  const runners = c.namespaces.runners;
  const labels = { ...runnerLabels, [NAMESPACE_NAME_LABEL]: runners };
  const leaks: string[] = [];
  const misses: string[] = [];
  for (const h of hooks) {
    for (const ns of mustExclude) if (!provablyExcluded(h.namespaceSelector, ns)) leaks.push(`${h.name}: ${ns}`);
    if (!selectorMatches(h.namespaceSelector, labels)) misses.push(h.name);
    if (h.objectSelector && (h.objectSelector.matchLabels || h.objectSelector.matchExpressions?.length)) misses.push(`${h.name} (objectSelector set)`);
  }
  if (leaks.length > 0) return fail(name, `namespaces the webhook must never touch are in scope: ${leaks.join(', ')}; namespaceSelector needs ${NAMESPACE_NAME_LABEL} NotIn [${mustExclude.join(', ')}]`, leaks);
  if (misses.length > 0) return fail(name, `the runner namespace ${runners} is not in scope of ${misses.join(', ')}, so runner pods are never pinned`, misses);
  return pass(name, `excludes ${mustExclude.join(', ')} by name; covers ${runners}`);
}

export function rulesCheck(mwc: KubeObject): Check {
  const name = 'digester.webhook-rules';
  const wrong: string[] = [];
  let update = false;
  for (const h of webhooksOf(mwc)) {
    if (!h.rules || h.rules.length === 0) wrong.push(`${h.name}: no rules`);
    for (const r of h.rules ?? []) {
      for (const res of r.resources ?? []) if (!POD_RESOURCES.has(res) || !(r.apiGroups ?? []).every((g) => g === '')) wrong.push(`${(r.apiGroups ?? []).join(',') || 'core'}/${res}`);
      for (const op of r.operations ?? []) {
        if (op === 'UPDATE') update = true;
        else if (op !== 'CREATE') wrong.push(`operation ${op}`);
      }
    }
  }
  if (wrong.length > 0) return fail(name, `the webhook must see Pods only (workloads would fight their ReplicaSets, digester#25); also matches: ${[...new Set(wrong)].join(', ')}`, [...new Set(wrong)]);
  if (update) return warn(name, 'Pods only, but on UPDATE as well as CREATE; CREATE is enough to pin');
  return pass(name, 'Pods only, on CREATE');
}

export function failurePolicyCheck(mwc: KubeObject, c: ClusterConfig): Check {
  const name = 'digester.failure-policy';
  const bad = webhooksOf(mwc).filter((h) => h.failurePolicy !== 'Ignore');
  // failurePolicy defaults to Fail in admissionregistration/v1.
  if (bad.length > 0) return fail(name, `failurePolicy is ${bad.map((h) => h.failurePolicy ?? 'Fail (default)').join(', ')}; a broken digester would block every pod in the cluster. Set Ignore`, bad.map((h) => h.name));
  const timeouts = webhooksOf(mwc).map((h) => h.timeoutSeconds ?? 10);
  const max = Math.max(...timeouts);
  if (max > c.digester.timeoutSeconds) return warn(name, `failurePolicy Ignore, but timeout ${max}s exceeds the configured ${c.digester.timeoutSeconds}s; pod creation may wait that long when the registry is slow`);
  return pass(name, `failurePolicy Ignore, timeout ${max}s`);
}
