/**
 * Pure: the in-cluster schedule. A CronJob that runs the check on `freshness.schedule`, with its
 * own ServiceAccount and a ClusterRole holding only what the run needs: list pods (and the
 * ReplicaSets and Jobs that name their workloads); get Secrets only when pull secrets are read;
 * get and patch Deployments, StatefulSets and DaemonSets only when restarting is on.
 */
import type { ClusterConfig, KubeObject } from '@stateless-ci/core';

export interface CronProps {
  /** Image whose entrypoint runs scripts/freshness.mts (see README "Cron"). @example ghcr.io/my-org/stateless-ci:1.0.0 */
  readonly image: string;
  /** @default stateless-ci */
  readonly namespace: string;
  /** Roll stale workloads (adds patch rights). @default false */
  readonly restart: boolean;
  /** Read the pods' imagePullSecrets (adds get on Secrets). @default false */
  readonly pullSecrets: boolean;
  /** Existing dockerconfigjson Secret in `namespace`, mounted as the Docker config. */
  readonly dockerConfigSecret?: string;
  /** Pushgateway base URL; without it the metrics go to the job log. @example http://pushgateway.monitoring:9091 */
  readonly pushgateway?: string;
}

export const CRON_NAME = 'stateless-ci-freshness';

/** The ClusterRole rules for a run with these options. Shared by the CronJob and the workflow. */
export function freshnessRules(o: { readonly restart: boolean; readonly pullSecrets: boolean }): Record<string, unknown>[] {
  return [
    { apiGroups: [''], resources: ['pods'], verbs: ['list'] },
    { apiGroups: ['apps'], resources: ['replicasets'], verbs: ['list'] },
    { apiGroups: ['batch'], resources: ['jobs'], verbs: ['list'] },
    ...(o.pullSecrets ? [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }] : []),
    ...(o.restart ? [{ apiGroups: ['apps'], resources: ['deployments', 'statefulsets', 'daemonsets'], verbs: ['get', 'patch'] }] : []),
  ];
}

export function freshnessArgs(c: ClusterConfig, o: { readonly restart: boolean; readonly pullSecrets: boolean; readonly pushgateway?: string; readonly dockerConfig?: string }): string[] {
  return [
    '--cluster', c.name,
    '--context', 'inClusterContext',
    '--format', 'prometheus',
    ...(o.pushgateway ? ['--pushgateway', o.pushgateway] : []),
    ...(o.pullSecrets ? [] : ['--no-pull-secrets']),
    ...(o.dockerConfig ? ['--docker-config', o.dockerConfig] : []),
    ...(o.restart ? ['--restart', '--yes'] : []),
  ];
}

export function renderCron(c: ClusterConfig, p: CronProps): KubeObject[] {
  const labels = { 'app.kubernetes.io/name': CRON_NAME, 'app.kubernetes.io/part-of': 'stateless-ci' };
  const meta = (name: string, namespaced = true) => ({ name, ...(namespaced ? { namespace: p.namespace } : {}), labels });
  const role = `${CRON_NAME}-${p.namespace}`;
  const docker = p.dockerConfigSecret ? '/var/run/docker-config/config.json' : undefined;
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: p.namespace, labels } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(CRON_NAME) },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: meta(role, false), rules: freshnessRules(p) },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: meta(role, false),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
      subjects: [{ kind: 'ServiceAccount', name: CRON_NAME, namespace: p.namespace }],
    },
    {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: meta(CRON_NAME),
      spec: {
        schedule: c.freshness.schedule,
        timeZone: 'Etc/UTC',
        concurrencyPolicy: 'Forbid',
        startingDeadlineSeconds: 300,
        successfulJobsHistoryLimit: 1,
        failedJobsHistoryLimit: 3,
        jobTemplate: {
          spec: {
            backoffLimit: 0,
            activeDeadlineSeconds: 900,
            template: {
              metadata: { labels },
              spec: {
                serviceAccountName: CRON_NAME,
                restartPolicy: 'Never',
                securityContext: { runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: 'RuntimeDefault' } },
                containers: [
                  {
                    name: 'freshness',
                    image: p.image,
                    args: freshnessArgs(c, { ...p, dockerConfig: docker }),
                    env: [{ name: 'NO_COLOR', value: '1' }],
                    resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { memory: '512Mi' } },
                    securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
                    volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }, ...(docker ? [{ name: 'docker-config', mountPath: '/var/run/docker-config', readOnly: true }] : [])],
                  },
                ],
                volumes: [
                  { name: 'tmp', emptyDir: {} },
                  ...(p.dockerConfigSecret ? [{ name: 'docker-config', secret: { secretName: p.dockerConfigSecret, items: [{ key: '.dockerconfigjson', path: 'config.json' }] } }] : []),
                ],
              },
            },
          },
        },
      },
    },
  ];
}
