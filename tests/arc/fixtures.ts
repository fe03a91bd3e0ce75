/** Shared by the arc unit tests: cluster files, real-looking (fake) credentials, constructed objects. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadClusterFile, type ClusterConfig } from '@stateless-ci/core';

const clusters = path.join(import.meta.dirname, '../../clusters');
const io = { readFile: async (p: string) => readFileSync(p, 'utf8'), listClusters: async () => [] };

export const loadTestCluster = (name: 'theia-prod' | 'parma'): Promise<ClusterConfig> => loadClusterFile(name, clusters, io);

/** Looks like a real RSA key (base64 body lines of 64 chars); it is random text, not a key. */
export const FAKE_KEY = [
  '-----BEGIN RSA PRIVATE KEY-----',
  'MIIEpAIBAAKCAQEAzQx7rT3vYpL0bH8kq2W9nJfE4sGm1uVdR6cXoP5iKaZyN3wB',
  'tLh0qJ7eUe2fS9gD4mCk8vR1xYzA6nHbWpQ3oIu5lMjT0sVdE7rGc2hK9aNfB4yZ',
  'Xw1LqP8uR6tS3vE0mJk5iH2gF9dC4bA7zY1xW6vU3tS8rQ5pO2nM9lK4jI1hG7fE',
  '-----END RSA PRIVATE KEY-----',
].join('\n');
export const FAKE_APP_ENV = { GITHUB_APP_ID: '918273', GITHUB_APP_INSTALLATION_ID: '56473829', GITHUB_APP_PRIVATE_KEY: FAKE_KEY };
export const FAKE_TOKEN = 'ghp_Zq8Wm3Kx7Lp2Rt9Vy4Nb6Hc1Jd5Fg0Se3Ua8';

import type { KubeObject } from '@stateless-ci/core';
import { CRD_NAMES } from '@stateless-ci/arc';

/** A minimal CRD as a chart renders it; `phase` decides whether the ARS schema knows status.phase. */
export function fakeCrd(name: string, opts: { phase?: boolean; extra?: string } = {}): KubeObject {
  const status = { type: 'object', properties: opts.phase === false ? { state: { type: 'string' } } : { phase: { type: 'string' } } };
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name, annotations: { 'controller-gen.kubebuilder.io/version': 'v0.20.1' } },
    spec: {
      group: 'actions.github.com',
      names: { kind: name.split('.')[0], plural: name.split('.')[0] },
      scope: 'Namespaced',
      versions: [{ name: 'v1alpha1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', description: opts.extra ?? '', properties: { status } } } }],
    },
  };
}

export const fakeCrds = (opts: { phase?: boolean; extra?: string } = {}): KubeObject[] => CRD_NAMES.map((n) => fakeCrd(n, opts));
