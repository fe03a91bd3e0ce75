// applySpegel with recorded helm and kube calls: the pipeline's snapshot spares the reads it
// already made, and the new revision comes from helm's own output.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Redactor, memoryLogger, revisionInOutput, type ClusterContext, type KubeObject, type Snapshot } from '@stateless-ci/core';
import { applySpegel, namespaceKey } from '@stateless-ci/spegel';
import { theiaProd } from './helpers.ts';

const t = suite('spegel apply');

const HELM_OUTPUT = (revision: number) =>
  `Release "spegel" does not exist. Installing it now.\nNAME: spegel\nLAST DEPLOYED: Fri Dec  4 23:50:00 2026\nNAMESPACE: spegel\nSTATUS: deployed\nREVISION: ${revision}\nTEST SUITE: None\n`;

async function setup(o: { output?: string; live?: { revision: number } } = {}) {
  const cluster = await theiaProd();
  const calls: string[] = [];
  const helm = {
    templateObjects: async () => [] as KubeObject[],
    status: async (release: string) => {
      calls.push(`helm status ${release}`);
      return o.live ? { name: release, namespace: 'spegel', revision: o.live.revision, status: 'deployed', chart: 'spegel-0.0.1', appVersion: '' } : undefined;
    },
    getValues: async () => {
      calls.push('helm values');
      return {};
    },
    upgradeInstall: async () => {
      calls.push('helm upgrade');
      return o.output ?? HELM_OUTPUT(o.live ? o.live.revision + 1 : 1);
    },
  };
  const kube = {
    read: async (k: { kind: string }) => {
      calls.push(`read ${k.kind}`);
      return undefined;
    },
    apply: async (obj: KubeObject) => {
      calls.push(`apply ${obj.kind}`);
      return obj;
    },
  };
  const redactor = new Redactor();
  const ctx = { cluster, helm, kube, log: memoryLogger(redactor), redactor, env: {} } as unknown as ClusterContext;
  const c = cluster.spegel;
  const fresh: Snapshot = { component: 'spegel', releases: [{ release: c.release, namespace: c.namespace }], objects: [{ key: namespaceKey(c.namespace) }] };
  return { ctx, calls, fresh };
}

t('a fresh install with the snapshot reads nothing again; the revision is helm\'s', async () => {
  const s = await setup();
  const res = await applySpegel(s.ctx, undefined, s.fresh);
  assert.equal(s.calls, ['apply Namespace', 'helm upgrade']);
  assert.match(res.summary, /installed release spegel to revision 1 /);
});

t('without a snapshot the namespace and release are read first', async () => {
  const s = await setup();
  await applySpegel(s.ctx);
  assert.equal(s.calls, ['read Namespace', 'apply Namespace', 'helm status spegel', 'helm upgrade']);
});

t('a snapshot with a release still reads its status and values (the up-to-date check needs them)', async () => {
  const s = await setup({ live: { revision: 4 } });
  const snap: Snapshot = { ...s.fresh, releases: [{ ...s.fresh.releases[0]!, revision: 4 }] };
  const res = await applySpegel(s.ctx, undefined, snap);
  assert.equal(s.calls, ['apply Namespace', 'helm status spegel', 'helm values', 'helm upgrade']);
  assert.match(res.summary, /upgraded release spegel from revision 4 to revision 5 /);
});

t('helm output without a revision: the release is read for it', async () => {
  const s = await setup({ output: 'something else\n' });
  const res = await applySpegel(s.ctx, undefined, s.fresh);
  assert.equal(s.calls, ['apply Namespace', 'helm upgrade', 'helm status spegel']);
  assert.match(res.summary, /to revision \? /);
});

t('revisionInOutput reads helm\'s status block only', () => {
  assert.is(revisionInOutput(HELM_OUTPUT(12)), 12);
  assert.is(revisionInOutput('NOTES:\nsee REVISION: 3 in the docs\n'), undefined);
  assert.is(revisionInOutput(''), undefined);
});

t.run();
