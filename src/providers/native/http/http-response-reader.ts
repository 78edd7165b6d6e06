// Reads one response off a member connection (RFC 9112 §6.3): interim 1xx heads are relayed as they are,
// the final head is parsed once (framing, persistence) and re-written, the body is relayed as bytes until
// its framing says it ended. 101 to an Upgrade and 2xx to CONNECT turn into tunnels.

import type { BodyFraming } from './http1-body.ts';
import { closesAfter, responseBody } from './http1-framing.ts';
import { headEnd, MAX_HEAD_BYTES, parseResponseHead, type ResponseHead } from './http1-head.ts';

/** Where a response goes. Buffers handed over are the sink's to keep. */
export interface ResponseSink {
  /** bytes for the client; false when the client's buffer is full (the member is paused) */
  relay(bytes: Buffer): boolean;
  /** the final head and body[start, end) after it, as one write; `body` may be the shared read buffer */
  relayHead(head: string, body: Buffer, start: number, end: number): boolean;
  /** the client's head for the final response (persistence applied) */
  clientHead(head: ResponseHead, untilClose: boolean): string;
  /** the member switched protocols: `first` is its head and what followed */
  switched(first: Buffer): void;
  /** the body ended; `reusable` when nothing followed it and the member keeps the connection open */
  complete(reusable: boolean): void;
  /** the member's answer cannot be used (malformed, too large): 502 if nothing was sent yet */
  invalid(): void;
}

export class ResponseReader {
  readonly #method: string;
  readonly #upgrade: boolean;
  /** the request was HTTP/1.0: its member connection is not reused */
  readonly #oldClient: boolean;
  readonly #sink: ResponseSink;
  #pending: Buffer | undefined;
  #framing: BodyFraming | undefined;
  #extra = false;
  #memberCloses = false;
  /** some bytes of the response arrived */
  started = false;

  constructor(method: string, minor: number, upgrade: boolean, sink: ResponseSink) {
    this.#method = method;
    this.#oldClient = minor === 0;
    this.#upgrade = upgrade;
    this.#sink = sink;
  }

  /** The final head was relayed: from now on a failure can only cut the client connection. */
  get relaying(): boolean {
    return this.#framing !== undefined;
  }

  /** The body runs until the member closes. */
  get untilClose(): boolean {
    return this.#framing?.untilClose ?? false;
  }

  /** `chunk` may be the shared read buffer: only copies are handed on or kept. */
  feed(chunk: Buffer): void {
    this.started = true;
    if (this.#framing) {
      this.#body(chunk, 0);
      return;
    }
    const buf = this.#pending ? Buffer.concat([this.#pending, chunk]) : chunk;
    this.#pending = undefined;
    this.#head(buf);
  }

  #head(buf: Buffer): void {
    const end = headEnd(buf);
    if (end < 0 || end > MAX_HEAD_BYTES) {
      // A head larger than HAProxy's buffer is a 502 there, whether it arrived whole or not; relayed, it
      // would overflow the client's parser too (Node's llhttp stops at 16 KiB).
      if (end >= 0 || buf.length > MAX_HEAD_BYTES) this.#sink.invalid();
      else this.#pending = Buffer.from(buf);
      return;
    }
    const head = parseResponseHead(buf, 0, end);
    if (!head) {
      this.#sink.invalid();
      return;
    }
    const switched =
      (head.status === 101 && this.#upgrade) ||
      (this.#method === 'CONNECT' && head.status >= 200 && head.status < 300);
    if (switched) {
      this.#sink.switched(Buffer.from(buf));
      return;
    }
    if (head.status < 200) {
      // Interim responses (100 Continue, 103) go to the client as they are; the final one follows.
      if (head.status === 101) {
        this.#sink.invalid();
        return;
      }
      this.#sink.relay(Buffer.from(buf.subarray(0, end)));
      if (end < buf.length) this.#head(buf.subarray(end));
      return;
    }
    const framing = responseBody(this.#method, head);
    if (!framing) {
      this.#sink.invalid();
      return;
    }
    const n = framing.take(buf, end);
    if (framing.error) {
      // Broken chunk syntax already in the first bytes: nothing was relayed yet, so the client gets a 502.
      this.#sink.invalid();
      return;
    }
    this.#framing = framing;
    this.#memberCloses = closesAfter(head) || this.#oldClient;
    const text = this.#sink.clientHead(head, framing.untilClose);
    this.#extra = end + n < buf.length;
    this.#sink.relayHead(text, buf, end, end + n); // head and first body bytes: one write
    this.#check();
  }

  #body(chunk: Buffer, offset: number): void {
    const framing = this.#framing as BodyFraming;
    const n = framing.take(chunk, offset);
    if (framing.error) {
      // Not a byte of a body whose framing broke goes on: the client connection is cut (sink.invalid).
      this.#sink.invalid();
      return;
    }
    if (n > 0) this.#sink.relay(Buffer.from(chunk.subarray(offset, offset + n)));
    if (offset + n < chunk.length) this.#extra = true;
    this.#check();
  }

  #check(): void {
    const framing = this.#framing as BodyFraming;
    if (framing.done) this.#sink.complete(!this.#extra && !this.#memberCloses);
  }
}
