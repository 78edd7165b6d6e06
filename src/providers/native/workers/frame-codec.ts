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

/** Accumulates stream chunks and returns the whole messages they complete. */
export class FrameDecoder {
  #buffered: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): unknown[] {
    this.#buffered = this.#buffered.length === 0 ? chunk : Buffer.concat([this.#buffered, chunk]);
    const messages: unknown[] = [];
    while (this.#buffered.length >= 4) {
      const length = this.#buffered.readUInt32BE(0);
      if (length > MAX_FRAME_BYTES) throw new Error(`frame of ${length} bytes is over ${MAX_FRAME_BYTES}`);
      if (this.#buffered.length < 4 + length) break;
      messages.push(JSON.parse(this.#buffered.subarray(4, 4 + length).toString('utf8')));
      this.#buffered = this.#buffered.subarray(4 + length);
    }
    return messages;
  }
}
