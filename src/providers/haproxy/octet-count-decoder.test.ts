import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_FRAME, OctetCountDecoder } from './octet-count-decoder.ts';

const frame = (message: string) => `${Buffer.byteLength(message)} ${message}`;

describe('OctetCountDecoder', () => {
  it('returns every message of a chunk holding several frames, in order', () => {
    const decoder = new OctetCountDecoder();
    assert.deepEqual(decoder.push(Buffer.from(frame('one') + frame('two words') + frame(''))), [
      'one',
      'two words',
      '',
    ]);
  });

  it('joins a frame split anywhere across chunks, in its length or in its message', () => {
    const stream = Buffer.from(frame('ünïcode line') + frame('12 34'));
    for (let split = 1; split < stream.length; split += 1) {
      const decoder = new OctetCountDecoder();
      const messages = [...decoder.push(stream.subarray(0, split)), ...decoder.push(stream.subarray(split))];
      assert.deepEqual(messages, ['ünïcode line', '12 34'], `split at ${split}`);
    }
  });

  it('counts the length in bytes, not characters', () => {
    assert.deepEqual(new OctetCountDecoder().push(Buffer.from('3 €1 x')), ['€', 'x']);
  });

  it('refuses a length that is not decimal digits, is missing, or exceeds the largest frame', () => {
    assert.throws(() => new OctetCountDecoder().push(Buffer.from('x3 abc')), /bad octet-count frame length/);
    assert.throws(() => new OctetCountDecoder().push(Buffer.from(' abc')), /bad octet-count frame length/);
    assert.throws(
      () => new OctetCountDecoder().push(Buffer.from(`${MAX_FRAME + 1} x`)),
      /bad octet-count frame length/,
    );
    assert.throws(() => new OctetCountDecoder().push(Buffer.from('1234567')), /bad octet-count frame length/);
  });
});
