import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { der } from '@stateless-ci/digester';

const { bitString, explicit, namedBits, oid, pem, sequence, smallInteger, time, tlv, unsignedInteger, utf8String } = der;

const t = suite('DER encoding (pure)');
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

t('short and long definite lengths', () => {
  assert.is(hex(tlv(0x04, Buffer.alloc(3))), '0403000000');
  assert.is(hex(tlv(0x04, Buffer.alloc(127))).slice(0, 4), '047f');
  assert.is(hex(tlv(0x04, Buffer.alloc(128))).slice(0, 6), '048180');
  assert.is(hex(tlv(0x04, Buffer.alloc(300))).slice(0, 8), '0482012c');
});

t('object identifiers, including multi-byte arcs (RFC 5280 examples)', () => {
  assert.is(hex(oid('2.5.4.3')), '0603550403');
  assert.is(hex(oid('1.2.840.113549.1.1.11')), '06092a864886f70d01010b');
  assert.is(hex(oid('1.3.6.1.5.5.7.3.1')), '06082b06010505070301');
  assert.throws(() => oid('1'), /not a dotted object identifier/);
});

t('integers: minimal, non-negative, with a sign byte when the top bit is set', () => {
  assert.is(hex(smallInteger(0)), '020100');
  assert.is(hex(smallInteger(2)), '020102');
  assert.is(hex(smallInteger(128)), '02020080');
  assert.is(hex(unsignedInteger(Buffer.from([0, 0, 0x7f]))), '02017f');
  assert.is(hex(unsignedInteger(Buffer.from([0xff, 1]))), '020300ff01');
  assert.throws(() => smallInteger(-1));
});

t('named bits drop trailing zero bits (KeyUsage)', () => {
  // digitalSignature, keyEncipherment, keyCertSign: 1010 0100, two unused bits
  assert.is(hex(namedBits([0, 2, 5])), '030202a4');
  assert.is(hex(namedBits([0])), '03020780');
  assert.is(hex(namedBits([0, 8])), '0303078080');
  assert.is(hex(bitString(Buffer.from([0xab]))), '030200ab');
});

t('UTCTime through 2049, GeneralizedTime from 2050, whole seconds', () => {
  assert.is(Buffer.from(time(new Date('2036-12-02T07:44:32.999Z')).subarray(2)).toString(), '361202074432Z');
  assert.is(time(new Date('2036-12-02T07:44:32Z'))[0], 0x17);
  assert.is(Buffer.from(time(new Date('2050-01-01T00:00:00Z')).subarray(2)).toString(), '20500101000000Z');
  assert.is(time(new Date('2050-01-01T00:00:00Z'))[0], 0x18);
});

t('constructed types and PEM armour', () => {
  assert.is(hex(sequence(utf8String('a'), explicit(0, smallInteger(2)))), '30080c0161a003020102');
  const p = pem('CERTIFICATE', Buffer.alloc(100, 1));
  // 100 bytes are 136 base64 characters: lines of 64, 64 and 8.
  assert.equal(p.split('\n').map((l) => l.length), [27, 64, 64, 8, 25, 0]);
  assert.is(Buffer.from(p.split('\n').slice(1, 4).join(''), 'base64').length, 100);
});

t.run();
