import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ConfigError, RefusedError, chooseContext, formatIssue, loadClusterFile } from '@stateless-ci/core';

const clusters = path.join(import.meta.dirname, '../../../clusters');
const io = { readFile: async (p: string) => readFileSync(p, 'utf8'), listClusters: async () => [] };
const theia = await loadClusterFile('theia-prod', clusters, io);

test('uses the current context when it is the cluster file\'s', () => {
  assert.is(chooseContext(theia, ['theia-prod', 'parma'], 'theia-prod', undefined), 'theia-prod');
});

test('refuses another current context, naming both and the fix', () => {
  try {
    chooseContext(theia, ['theia-prod', 'parma'], 'parma', undefined);
    assert.unreachable();
  } catch (e) {
    assert.instance(e, RefusedError);
    assert.match((e as Error).message, /refusing to act on kube context "parma".*belongs to "theia-prod".*kubectl config use-context theia-prod/);
  }
});

test('an explicit --context overrides the guard', () => {
  assert.is(chooseContext(theia, ['theia-prod', 'kind-dev'], 'theia-prod', 'kind-dev'), 'kind-dev');
});

test('an unknown --context is bad input listing the known ones', () => {
  try {
    chooseContext(theia, ['theia-prod', 'parma'], 'theia-prod', 'thiea-prod');
    assert.unreachable();
  } catch (e) {
    assert.instance(e, ConfigError);
    assert.match(formatIssue((e as ConfigError).issues[0]!), /--context: no context named thiea-prod.*use one of: theia-prod, parma/);
  }
});

test.run();
