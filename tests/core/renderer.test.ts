import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chooseRenderer, rendererFromEnv } from '@stateless-ci/core';

const base = { isTTY: true, ci: false, json: false, verbose: false, test: false };
test('terminal gets the live view', () => assert.is(chooseRenderer(base), 'default'));
test('CI and pipes get plain lines', () => {
  assert.is(chooseRenderer({ ...base, ci: true }), 'simple');
  assert.is(chooseRenderer({ ...base, isTTY: false }), 'simple');
});
test('--verbose logs every step', () => assert.is(chooseRenderer({ ...base, verbose: true }), 'verbose'));
test('--json and tests are silent', () => {
  assert.is(chooseRenderer({ ...base, json: true }), 'silent');
  assert.is(chooseRenderer({ ...base, test: true, verbose: true }), 'silent');
});
test('reads CI from the environment', () => {
  assert.is(rendererFromEnv({}, { CI: 'true' }, { isTTY: true }), 'simple');
  assert.is(rendererFromEnv({}, { CI: 'false' }, { isTTY: true }), 'default');
});
test.run();
