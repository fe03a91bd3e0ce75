/**
 * Pure verdicts from one DaemonSet, one node list and one pod list: is the rollout complete, does
 * every node that should run Spegel have a Ready Spegel pod (new and tainted nodes included), and
 * are the pods healthy. Failing checks name the nodes.
 */
import { fail, pass, warn, type Check } from '@stateless-ci/core';
import { rolloutState, type DaemonSetObject } from '../rollout.ts';
import { podReady, podsByNode, type PodLike } from './pods.ts';
import { eligibility, nodeReady, type NodeLike, type PodTemplateSpec } from './scheduling.ts';

/** Shown in detail lines; the full list is in `failing`. */
const MAX_NAMED = 10;

export const CHECK = {
  rollout: 'spegel.daemonset-rolled-out',
  everyNode: 'spegel.pod-on-every-node',
  podHealth: 'spegel.pods-healthy',
} as const;

export function nameList(items: readonly string[]): string {
  return items.length <= MAX_NAMED ? items.join(', ') : `${items.slice(0, MAX_NAMED).join(', ')} and ${items.length - MAX_NAMED} more`;
}

export function rolloutCheck(ds: DaemonSetObject | undefined, where: string): Check {
  if (!ds) return fail(CHECK.rollout, `DaemonSet ${where} not found: run \`pnpm task spegel apply\``);
  const r = rolloutState(ds);
  if (r.desired === 0) return fail(CHECK.rollout, `DaemonSet ${where} schedules no pod: no node matches its nodeSelector and tolerations`);
  return r.done ? pass(CHECK.rollout, `DaemonSet ${where}: ${r.detail}`, { desired: r.desired, ready: r.ready }) : fail(CHECK.rollout, `DaemonSet ${where}: ${r.detail}`);
}

export interface NodeCoverage {
  readonly check: Check;
  /** Nodes that must run Spegel. */
  readonly eligible: readonly NodeLike[];
}

export function everyNodeCheck(ds: DaemonSetObject | undefined, nodes: readonly NodeLike[], pods: readonly PodLike[]): NodeCoverage {
  const template = (ds?.spec?.template?.spec ?? {}) as PodTemplateSpec;
  const byNode = podsByNode(pods);
  const eligible: NodeLike[] = [];
  const skipped: string[] = [];
  const problems: { node: string; why: string }[] = [];
  for (const n of [...nodes].sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))) {
    if (n.metadata.deletionTimestamp) continue;
    const e = eligibility(n, template);
    if (!e.eligible) {
      skipped.push(`${n.metadata.name} (${e.reason})`);
      continue;
    }
    eligible.push(n);
    const mine = byNode.get(n.metadata.name) ?? [];
    if (mine.some(podReady)) continue;
    const why = mine.length === 0 ? 'no Spegel pod' : `pod ${mine[0]!.metadata.name} not Ready (${mine[0]!.status?.phase ?? 'no status'})`;
    problems.push({ node: n.metadata.name, why: nodeReady(n) ? why : `${why}; node NotReady` });
  }
  const skippedNote = skipped.length > 0 ? `; ${skipped.length} node(s) excluded by the DaemonSet's own rules: ${nameList(skipped)}` : '';
  if (eligible.length === 0) return { eligible, check: fail(CHECK.everyNode, `no node is eligible for Spegel${skippedNote}`) };
  if (problems.length === 0) {
    return { eligible, check: pass(CHECK.everyNode, `all ${eligible.length} eligible nodes have a Ready Spegel pod${skippedNote}`, { nodes: eligible.length, skipped: skipped.length }) };
  }
  return {
    eligible,
    check: fail(
      CHECK.everyNode,
      `${problems.length} of ${eligible.length} nodes lack a Ready Spegel pod: ${nameList(problems.map((p) => `${p.node} (${p.why})`))}${skippedNote}`,
      problems.map((p) => p.node),
    ),
  };
}

export function podHealthCheck(pods: readonly PodLike[]): Check {
  const initFailed: string[] = [];
  const restarted: string[] = [];
  for (const p of pods) {
    const where = `${p.spec?.nodeName ?? '?'} (${p.metadata.name})`;
    const init = p.status?.initContainerStatuses?.find((c) => c.name === 'configuration');
    const t = init?.state?.terminated;
    if (t && t.exitCode !== 0) initFailed.push(`${where}: configuration exited ${t.exitCode}`);
    const reg = p.status?.containerStatuses?.find((c) => c.name === 'registry');
    if ((reg?.restartCount ?? 0) > 0) restarted.push(`${where}: ${reg!.restartCount} restarts`);
  }
  const nodes = (xs: string[]) => xs.map((x) => x.split(' ')[0]!);
  if (initFailed.length > 0) {
    return fail(CHECK.podHealth, `the configuration init container failed, so containerd mirror config was not written: ${nameList(initFailed)}; read its logs`, nodes(initFailed));
  }
  if (restarted.length > 0) {
    return warn(CHECK.podHealth, `registry containers restarted (the startup probe gives up after 3 min without peers): ${nameList(restarted)}; read their logs`, nodes(restarted));
  }
  return pass(CHECK.podHealth, `${pods.length} pods: mirror config written, no registry restarts`);
}
