// WebSocket base framing for the conformance suite's echo member (RFC 6455 §5.2): encodes unmasked server
// frames and decodes the masked frames a client sends, refusing what §5.1–§5.5 forbid with the close code
// that §7.4.1 names for it.

export const OPCODE = { continuation: 0, text: 1, binary: 2, close: 8, ping: 9, pong: 10 } as const;

export type Frame = { fin: boolean; opcode: number; payload: Buffer };

/** A frame the peer must not send; `code` is the close status to answer with (RFC 6455 §7.4.1). */
export class FrameError extends Error {
  readonly code: number;
  constructor(code: number, message: string) {
    super(message);
    this.code = code;
  }
}

/** One frame as a server sends it: never masked (§5.1), length in 7, 7+16 or 7+64 bits (§5.2). */
export function encodeFrame(opcode: number, payload: Buffer, fin = true): Buffer {
  const length = payload.length;
  const head = Buffer.alloc(length < 126 ? 2 : length < 65536 ? 4 : 10);
  head[0] = (fin ? 0x80 : 0) | opcode;
  if (length < 126) head[1] = length;
  else if (length < 65536) {
    head[1] = 126;
    head.writeUInt16BE(length, 2);
  } else {
    head[1] = 127;
    head.writeBigUInt64BE(BigInt(length), 2);
  }
  return Buffer.concat([head, payload]);
}

/** A close frame's body: the status code, then the UTF-8 reason (§5.5.1); none at all for 1005. */
export function closePayload(code: number | undefined, reason = ''): Buffer {
  if (code === undefined) return Buffer.alloc(0);
  const body = Buffer.alloc(2);
  body.writeUInt16BE(code, 0);
  return Buffer.concat([body, Buffer.from(reason)]);
}

/** Reads a received close frame's body: 1005 when it carries no status (§7.1.5). */
export function parseClose(payload: Buffer): { code: number; reason: string } {
  if (payload.length === 0) return { code: 1005, reason: '' };
  if (payload.length === 1) throw new FrameError(1002, 'a close frame body of one byte');
  return { code: payload.readUInt16BE(0), reason: payload.subarray(2).toString('utf8') };
}

/** Decodes the frames of a client's byte stream as they arrive, chunk by chunk. */
export class FrameReader {
  readonly #maxPayload: number;
  #buffer: Buffer = Buffer.alloc(0);

  constructor(maxPayload: number) {
    this.#maxPayload = maxPayload;
  }

  /** The frames completed by `chunk`; throws FrameError on the first frame the client must not send. */
  push(chunk: Buffer): Frame[] {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    const frames: Frame[] = [];
    for (;;) {
      const frame = this.#next();
      if (!frame) return frames;
      frames.push(frame);
    }
  }

  #next(): Frame | undefined {
    const buf = this.#buffer;
    if (buf.length < 2) return undefined;
    const fin = (buf[0] & 0x80) !== 0;
    // No extension was negotiated, so every RSV bit must be 0 (§5.2).
    if ((buf[0] & 0x70) !== 0) throw new FrameError(1002, 'RSV bits set without an extension');
    const opcode = buf[0] & 0x0f;
    if (![0, 1, 2, 8, 9, 10].includes(opcode)) throw new FrameError(1002, `reserved opcode ${opcode}`);
    // §5.1: a server closes the connection on an unmasked client frame.
    if ((buf[1] & 0x80) === 0) throw new FrameError(1002, 'an unmasked client frame');
    const short = buf[1] & 0x7f;
    let offset = 2;
    let length = short;
    if (short === 126) {
      if (buf.length < 4) return undefined;
      length = buf.readUInt16BE(2);
      offset = 4;
    } else if (short === 127) {
      if (buf.length < 10) return undefined;
      const long = buf.readBigUInt64BE(2);
      // §5.2: the most significant bit of a 64-bit length must be 0.
      if (long >= 2n ** 63n) throw new FrameError(1002, 'a 64-bit length with its top bit set');
      if (long > BigInt(this.#maxPayload)) throw new FrameError(1009, `a frame of ${long} bytes`);
      length = Number(long);
      offset = 10;
    }
    if (length > this.#maxPayload) throw new FrameError(1009, `a frame of ${length} bytes`);
    // §5.5: control frames are never fragmented and carry at most 125 bytes.
    if (opcode >= 8 && (!fin || length > 125))
      throw new FrameError(1002, 'a fragmented or long control frame');
    if (buf.length < offset + 4 + length) return undefined;
    const key = buf.subarray(offset, offset + 4);
    const payload = Buffer.from(buf.subarray(offset + 4, offset + 4 + length));
    // §5.3: byte i of the payload is XORed with byte i mod 4 of the masking key.
    for (let i = 0; i < payload.length; i += 1) payload[i] ^= key[i & 3];
    this.#buffer = buf.subarray(offset + 4 + length);
    return { fin, opcode, payload };
  }
}
