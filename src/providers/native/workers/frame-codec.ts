// Framing of the agent ↔ native worker protocol on a stream socket: each message is a 4-byte big-endian
// length followed by that many bytes of UTF-8 JSON. A length over MAX_FRAME_BYTES is a broken peer.
import { Buffer } from 'node:buffer';

/** Far above any desired state (a load balancer with hundreds of listeners is well under 1 MiB). */
export const MAX_FRAME_BYTES = 64 * 1024 * 1024;

export function encodeFrame(message: unknown): Buffer {
  const body = Buffer.from(JSON.stringify(message), 'utf8');
  const head = Buffer.allocUnsafe(4);
  head.writeUInt32BE(body.length, 0);
  return Buffer.concat([head, body]);
}

/**
 * Accumulates stream chunks and returns the whole messages they complete. The chunks of a frame still arriving
 * are kept apart and joined once, when the frame is complete: joining on every chunk copied a 1 MiB report
 * (1,000 load balancers) sixteen times over in 64 KiB reads (issue #18).
 */
export class FrameDecoder {
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  /** bytes needed before anything can be decoded: a length prefix, or the whole frame it announced */
  #needed = 4;

  push(chunk: Buffer): unknown[] {
    this.#pending.push(chunk);
    this.#pendingBytes += chunk.length;
    if (this.#pendingBytes < this.#needed) return [];
    let buffered = this.#pending.length === 1 ? chunk : Buffer.concat(this.#pending, this.#pendingBytes);
    const messages: unknown[] = [];
    this.#needed = 4;
    while (buffered.length >= 4) {
      const length = buffered.readUInt32BE(0);
      if (length > MAX_FRAME_BYTES) throw new Error(`frame of ${length} bytes is over ${MAX_FRAME_BYTES}`);
      if (buffered.length < 4 + length) {
        this.#needed = 4 + length;
        break;
      }
      messages.push(JSON.parse(buffered.subarray(4, 4 + length).toString('utf8')));
      buffered = buffered.subarray(4 + length);
    }
    this.#pending = buffered.length > 0 ? [buffered] : [];
    this.#pendingBytes = buffered.length;
    return messages;
  }
}
