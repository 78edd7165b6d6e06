import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodeFrame, FrameDecoder, MAX_FRAME_BYTES } from './frame-codec.ts';

describe('worker frame codec', () => {
  it('decodes messages split across chunks and several in one chunk', () => {
    const bytes = Buffer.concat([encodeFrame({ a: 'é' }), encodeFrame({ b: 2 }), encodeFrame([3])]);
    const decoder = new FrameDecoder();
    const out: unknown[] = [];
    for (let i = 0; i < bytes.length; i += 3) out.push(...decoder.push(bytes.subarray(i, i + 3)));
    assert.deepEqual(out, [{ a: 'é' }, { b: 2 }, [3]]);
    assert.deepEqual(new FrameDecoder().push(bytes), [{ a: 'é' }, { b: 2 }, [3]]);
  });

  it('refuses a length over the limit instead of buffering it', () => {
    const head = Buffer.alloc(4);
    head.writeUInt32BE(MAX_FRAME_BYTES + 1, 0);
    assert.throws(() => new FrameDecoder().push(head), /over/);
  });

  it('decodes a frame of several MiB arriving in 64 KiB reads, and the frames around it', () => {
    const big = {
      items: Array.from({ length: 40_000 }, (_, i) => ({ id: `lb-${i}`, counters: [i, i * 2] })),
    };
    const bytes = Buffer.concat([encodeFrame([1]), encodeFrame(big), encodeFrame([2])]);
    assert.ok(bytes.length > 1024 * 1024);
    const decoder = new FrameDecoder();
    const out: unknown[] = [];
    for (let i = 0; i < bytes.length; i += 65_536) out.push(...decoder.push(bytes.subarray(i, i + 65_536)));
    assert.deepEqual(out, [[1], big, [2]]);
  });

  it('refuses an over-long length that arrives after a complete frame in the same chunk', () => {
    const head = Buffer.alloc(4);
    head.writeUInt32BE(MAX_FRAME_BYTES + 1, 0);
    assert.throws(() => new FrameDecoder().push(Buffer.concat([encodeFrame([1]), head])), /over/);
  });
});
