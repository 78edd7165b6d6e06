import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nestedSequences } from '../../test/helpers/hostile-der.ts';
import { childrenOf, DerError, oidOf, readOne, readTlv, smallIntOf, Tag } from './der.ts';

describe('DER reader', () => {
  it('reads a sequence of an OID and an INTEGER with a long-form length', () => {
    const oid = Buffer.from('06092a864886f70d010701', 'hex');
    const int = Buffer.from('02020800', 'hex');
    const padding = Buffer.concat([Buffer.from([0x04, 0x81, 0x80]), Buffer.alloc(0x80)]);
    const body = Buffer.concat([oid, int, padding]);
    const seq = Buffer.concat([Buffer.from([0x30, 0x81, body.length]), body]);
    const [o, i, p] = childrenOf(readOne(seq, Tag.SEQUENCE, 'a test'));
    assert.equal(oidOf(o), '1.2.840.113549.1.7.1');
    assert.equal(smallIntOf(i), 2048);
    assert.equal(p.value.length, 0x80);
  });

  it('refuses truncated data, lengths beyond the data, indefinite lengths and trailing bytes', () => {
    assert.throws(() => readTlv(Buffer.from([0x30])), DerError);
    assert.throws(() => readTlv(Buffer.from([0x30, 0x05, 0x01])), DerError);
    assert.throws(() => readTlv(Buffer.from([0x30, 0x84, 0xff, 0xff, 0xff, 0xff])), DerError);
    assert.throws(() => readTlv(Buffer.from([0x30, 0x89, 1, 1, 1, 1, 1, 1, 1, 1, 1])), DerError);
    assert.throws(() => readTlv(Buffer.from([0x30, 0x80, 0x00, 0x00])), DerError);
    assert.throws(() => readOne(Buffer.from([0x05, 0x00, 0x00]), Tag.NULL, 'NULL'), DerError);
  });

  it('reads 100 000 nested sequences one level at a time without recursing', () => {
    // 0x30 0x84 <len> per level: each level's length covers the rest of the buffer.
    const buf = nestedSequences(100_000);
    const outer = readOne(buf, Tag.SEQUENCE, 'a sequence');
    assert.equal(childrenOf(outer).length, 1);
  });

  it('bounds the number of items it lists', () => {
    const many = Buffer.concat([Buffer.from([0x30, 0x82, 0x4e, 0x22]), Buffer.alloc(20_002, 0)]);
    // 10 001 empty end-of-content TLVs (00 00) inside one sequence
    assert.throws(() => childrenOf(readOne(many.subarray(0, 4 + 0x4e22), Tag.SEQUENCE, 's')), /too many/);
  });

  it('refuses malformed OBJECT IDENTIFIERs and negative or huge INTEGERs', () => {
    assert.throws(() => oidOf(readTlv(Buffer.from([0x06, 0x01, 0x81]))), DerError);
    assert.throws(() => smallIntOf(readTlv(Buffer.from([0x02, 0x01, 0xff]))), DerError);
    assert.throws(() => smallIntOf(readTlv(Buffer.from([0x02, 0x07, 1, 0, 0, 0, 0, 0, 0]))), DerError);
  });
});
