// Where an HTTP/1.x message body ends in a byte stream (RFC 9112 §6-§7): a fixed Content-Length, the
// chunked coding, or the end of the connection. Bodies are relayed as the bytes they arrived in; these
// trackers only find the boundary, strictly, so the member and the proxy never disagree on it (smuggling).

import { MAX_HEAD_BYTES } from './http1-head.ts';

export interface BodyFraming {
  /** How many bytes of chunk[offset…] belong to this body (fewer than offered once it ends). */
  take(chunk: Buffer, offset: number): number;
  /** the whole body has been seen */
  readonly done: boolean;
  /** the bytes cannot be this body (bad chunk framing): the connection must go */
  readonly error: boolean;
  /** the body ends with the connection (a response without length, RFC 9112 §6.3 rule 8) */
  readonly untilClose: boolean;
}

class NoBody implements BodyFraming {
  readonly done = true;
  readonly error = false;
  readonly untilClose = false;
  take(): number {
    return 0;
  }
}

export const NO_BODY: BodyFraming = new NoBody();

export class LengthBody implements BodyFraming {
  #left: number;
  readonly error = false;
  readonly untilClose = false;
  constructor(length: number) {
    this.#left = length;
  }
  get done(): boolean {
    return this.#left === 0;
  }
  take(chunk: Buffer, offset: number): number {
    const n = Math.min(this.#left, chunk.length - offset);
    this.#left -= n;
    return n;
  }
}

export class CloseDelimitedBody implements BodyFraming {
  readonly done = false;
  readonly error = false;
  readonly untilClose = true;
  take(chunk: Buffer, offset: number): number {
    return chunk.length - offset;
  }
}

const CR = 0x0d;
const LF = 0x0a;
/** Largest chunk size accepted (2^48): far beyond any real chunk, and exact in a JS number. */
const MAX_CHUNK = 2 ** 48;

const S = {
  size: 0,
  sizeWs: 1,
  ext: 2,
  sizeLf: 3,
  data: 4,
  dataCr: 5,
  dataLf: 6,
  trailerStart: 7,
  trailerLine: 8,
  trailerLf: 9,
  finalLf: 10,
  done: 11,
  error: 12,
} as const;
type State = (typeof S)[keyof typeof S];

/**
 * The chunked coding (RFC 9112 §7.1): `size [ext] CRLF data CRLF` … `0 [ext] CRLF [trailers] CRLF`.
 * Line ends must be CRLF and sizes plain hex digits; anything else is an error, never a guess.
 * `onData`, when given, receives the chunk data without the framing (an HTTP/2 client gets only that).
 */
export class ChunkedBody implements BodyFraming {
  readonly untilClose = false;
  readonly #onData: ((data: Buffer) => void) | undefined;
  #state: State = S.size;
  #size = 0;
  #digits = 0;
  #trailerBytes = 0;

  constructor(onData?: (data: Buffer) => void) {
    this.#onData = onData;
  }

  get done(): boolean {
    return this.#state === S.done;
  }

  get error(): boolean {
    return this.#state === S.error;
  }

  take(chunk: Buffer, offset: number): number {
    let i = offset;
    const end = chunk.length;
    while (i < end && this.#state !== S.done && this.#state !== S.error) {
      if (this.#state === S.data) {
        const n = Math.min(this.#size, end - i);
        this.#onData?.(chunk.subarray(i, i + n));
        this.#size -= n;
        i += n;
        if (this.#size === 0) this.#state = S.dataCr;
        continue;
      }
      this.#state = this.#step(chunk[i]);
      i++;
    }
    return i - offset;
  }

  #step(byte: number): State {
    switch (this.#state) {
      case S.size: {
        const digit = hexValue(byte);
        if (digit >= 0) {
          this.#size = this.#size * 16 + digit;
          this.#digits++;
          return this.#size > MAX_CHUNK ? S.error : S.size;
        }
        if (this.#digits === 0) return S.error;
        if (byte === CR) return S.sizeLf;
        if (byte === 0x3b) return S.ext; // ';'
        return byte === 0x20 || byte === 0x09 ? S.sizeWs : S.error; // BWS before an extension
      }
      case S.sizeWs:
        if (byte === 0x3b) return S.ext;
        return byte === 0x20 || byte === 0x09 ? S.sizeWs : S.error;
      case S.ext:
        if (byte === CR) return S.sizeLf;
        return isControl(byte) ? S.error : S.ext;
      case S.sizeLf:
        if (byte !== LF) return S.error;
        this.#digits = 0;
        return this.#size === 0 ? S.trailerStart : S.data;
      case S.dataCr:
        return byte === CR ? S.dataLf : S.error;
      case S.dataLf:
        return byte === LF ? S.size : S.error;
      case S.trailerStart:
        if (byte === CR) return S.finalLf;
        return this.#trailerByte(byte);
      case S.trailerLine:
        if (byte === CR) return S.trailerLf;
        return this.#trailerByte(byte);
      case S.trailerLf:
        return byte === LF ? S.trailerStart : S.error;
      case S.finalLf:
        return byte === LF ? S.done : S.error;
      default:
        return S.error;
    }
  }

  /** Trailer field lines are relayed, not interpreted, but bounded like a head. */
  #trailerByte(byte: number): State {
    if (isControl(byte) || ++this.#trailerBytes > MAX_HEAD_BYTES) return S.error;
    return S.trailerLine;
  }
}

function hexValue(byte: number): number {
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  if (byte >= 0x61 && byte <= 0x66) return byte - 0x57;
  if (byte >= 0x41 && byte <= 0x46) return byte - 0x37;
  return -1;
}

/** Control bytes other than HTAB (RFC 9110 §5.5 field values). */
function isControl(byte: number): boolean {
  return (byte < 0x20 && byte !== 0x09) || byte === 0x7f;
}
