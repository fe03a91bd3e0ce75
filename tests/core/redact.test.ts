import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { REDACTED, Redactor } from '@stateless-ci/core';

test('replaces registered secrets everywhere, longest first', () => {
  const r = new Redactor();
  r.add('ghp_abcdefghijklmnopqrstuvwxyz0123');
  r.add('ghp_abcdefghijklmnop');
  assert.is(r.redact('a ghp_abcdefghijklmnopqrstuvwxyz0123 b ghp_abcdefghijklmnop c'), `a ${REDACTED} b ${REDACTED} c`);
});

test('ignores tiny values that would garble output', () => {
  const r = new Redactor();
  r.add('123');
  assert.is(r.size, 0);
  assert.is(r.redact('id 123'), 'id 123');
});

test('multi-line keys are redacted line by line too', () => {
  const r = new Redactor();
  r.add('-----BEGIN KEY-----\nAAAABBBBCCCCDDDDEEEEFFFF\nGGGGHHHHIIIIJJJJKKKK\n-----END KEY-----');
  assert.is(r.redact('error near "GGGGHHHHIIIIJJJJKKKK"'), `error near "${REDACTED}"`);
  assert.is(r.redact('-----BEGIN KEY----- header stays'), '-----BEGIN KEY----- header stays');
});

test.run();
