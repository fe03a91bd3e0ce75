import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { atLeast, parseRuntime, runtimeCheck } from '../../../packages/spegel/src/verify/runtime.ts';
import { node } from '../helpers.ts';

const t = suite('containerd version verdict');

t('parse and compare runtime versions', () => {
  assert.equal(parseRuntime('containerd://2.1.4'), { kind: 'containerd', major: 2, minor: 1, version: '2.1.4' });
  assert.equal(parseRuntime('containerd://v1.7.27-k3s1'), { kind: 'containerd', major: 1, minor: 7, version: '1.7.27-k3s1' });
  assert.equal(parseRuntime('cri-o://1.30.0'), { kind: 'other', version: 'cri-o://1.30.0' });
  assert.ok(atLeast(parseRuntime('containerd://2.2.0'), 2, 1));
  assert.not.ok(atLeast(parseRuntime('containerd://2.0.9'), 2, 1));
});

t('containerd 2.1+ everywhere passes; older fails naming nodes; no containerd at all is a skip', () => {
  assert.is(runtimeCheck([node('a'), node('b', { runtime: 'containerd://2.2.1' })]).status, 'pass');
  const old = runtimeCheck([node('a'), node('b', { runtime: 'containerd://1.7.27' })]);
  assert.is(old.status, 'fail');
  assert.equal(old.failing, ['b']);
  assert.is(runtimeCheck([node('k', { runtime: '' })]).status, 'skip');
  assert.is(runtimeCheck([node('a'), node('c', { runtime: 'cri-o://1.30.0' })]).status, 'warn');
});

t.run();
