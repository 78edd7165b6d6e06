// One HTTP/2 request stream of a client session, served like an HTTP/1 request: its header list becomes an
// HTTP/1.1 head (h2-request-head.ts) routed by routeRequest and forwarded by HttpExchange; the member's
// HTTP/1.1 response comes back as HEADERS and DATA frames (RFC 9113 §8.1). Errors end this stream only.
import http2, { type ServerHttp2Stream } from 'node:http2';
import type { MemberConnection } from '../members/member-connections.ts';
import { h2RequestHead } from './h2-request-head.ts';
import { h2ResponseHeaders } from './h2-response-headers.ts';
import { answerBytes } from './http-answers.ts';
import { HttpExchange } from './http-exchange.ts';
import type { ExchangeOwner } from './http-exchange-contract.ts';
import { type RouteHost, routeRequest } from './http-proxy.ts';
import { withHead } from './http-rewrite.ts';
import type { SessionHost } from './http-session.ts';
import { type BodyFraming, ChunkedBody, NO_BODY } from './http1-body.ts';
import { requestBody } from './http1-framing.ts';
import { headEnd, parseResponseHead } from './http1-head.ts';

const { NGHTTP2_INTERNAL_ERROR, NGHTTP2_PROTOCOL_ERROR } = http2.constants;
const CRLF = Buffer.from('\r\n', 'latin1');
const LAST_CHUNK = Buffer.from('0\r\n\r\n', 'latin1');
const EMPTY = Buffer.alloc(0);

export class H2Stream implements ExchangeOwner {
  readonly #stream: ServerHttp2Stream;
  readonly #host: SessionHost;
  #exchange: HttpExchange | undefined;
  #method = 'GET';
  /** the request body goes to the member in the chunked coding (no content-length) */
  #chunked = false;
  /** the request body's length check, for a request with content-length */
  #length: BodyFraming = NO_BODY;
  #responded = false;
  /** the member's response body arrives chunked: only the chunk data goes into DATA frames */
  #decoder: ChunkedBody | undefined;

  constructor(stream: ServerHttp2Stream, host: SessionHost) {
    this.#stream = stream;
    this.#host = host;
    stream.on('error', () => {});
    stream.on('close', () => {
      const exchange = this.#exchange;
      this.#exchange = undefined;
      exchange?.abort();
    });
    stream.on('drain', () => this.#exchange?.clientDrained());
    stream.on('data', (chunk: Buffer) => this.#onData(chunk));
    stream.on('end', () => this.#onEnd());
  }

  /** Routes the request of `raw` (its header list) and answers it or forwards it. */
  start(raw: readonly string[], route: RouteHost): void {
    const bodyless = this.#stream.endAfterHeaders;
    const translated = h2RequestHead(raw, bodyless);
    const head = translated?.head;
    const framing = head && requestBody(head);
    if (!translated || !head || !framing) {
      this.#host.stats.requestError();
      this.#answer(400);
      return;
    }
    this.#method = head.method;
    this.#chunked = translated.chunked;
    if (!translated.chunked) this.#length = framing;
    const decision = routeRequest(head, this.#host.current, route, bodyless, false);
    if (decision.kind === 'answer') {
      if (decision.error) this.#host.stats.requestError();
      this.#answer(decision.status, decision.location);
      return;
    }
    const exchange = new HttpExchange(decision.request, this, EMPTY, bodyless);
    this.#exchange = exchange;
    exchange.start();
  }

  #onData(chunk: Buffer): void {
    if (chunk.length === 0) return; // an empty chunk would end a chunked body
    if (!this.#chunked && this.#length.take(chunk, 0) < chunk.length) {
      // RFC 9113 §8.1.1: more DATA than content-length is malformed, a stream error of PROTOCOL_ERROR.
      this.#malformed();
      return;
    }
    const exchange = this.#exchange;
    if (!exchange) return; // answered already: the rest of the body is read and dropped
    const bytes = this.#chunked
      ? Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`, 'latin1'), chunk, CRLF])
      : chunk;
    exchange.body(bytes, false);
  }

  #onEnd(): void {
    if (!this.#chunked && !this.#length.done) {
      this.#malformed(); // §8.1.1: fewer DATA bytes than content-length
      return;
    }
    this.#exchange?.body(this.#chunked ? LAST_CHUNK : EMPTY, true);
  }

  #malformed(): void {
    this.#host.stats.requestError();
    this.#reset(NGHTTP2_PROTOCOL_ERROR);
  }

  /** Resets this stream only (RST_STREAM, RFC 9113 §5.4.2); the member side ends too, if it has not. */
  #reset(code: number): void {
    const exchange = this.#exchange;
    this.#exchange = undefined;
    exchange?.abort();
    if (!this.#stream.destroyed) this.#stream.close(code);
  }

  /** A response of the proxy's own (HAProxy's pages, http-answers.ts), sent the way a member's is. */
  #answer(status: number, location?: string): void {
    if (this.#responded) {
      this.#reset(NGHTTP2_INTERNAL_ERROR);
      return;
    }
    this.write(answerBytes(status, { location }));
    this.#endResponse();
  }

  #endResponse(): void {
    if (this.#stream.destroyed) return;
    this.#stream.end();
    // A request body the response no longer needs is read and dropped (RFC 9113 §8.1: the server may
    // answer before the request is complete); flow control windows reopen as it is read.
    this.#stream.resume();
  }

  // ExchangeOwner: the member side's HTTP/1.1 bytes, the head first (one buffer, http-response-reader.ts).

  write(bytes: Buffer): boolean {
    const stream = this.#stream;
    if (stream.destroyed) return true;
    if (this.#responded) return this.#body(bytes, 0);
    const end = headEnd(bytes);
    const head = end > 0 ? parseResponseHead(bytes, 0, end) : undefined;
    if (!head) {
      this.abort(); // cannot happen: the head is the proxy's own re-written text
      return true;
    }
    try {
      if (head.status < 200) {
        // Interim responses (100 Continue, 103 Early Hints) go as their own HEADERS frame (§8.1).
        stream.additionalHeaders(h2ResponseHeaders(head));
        return true;
      }
      stream.respond(h2ResponseHeaders(head));
    } catch {
      this.abort(); // a field value Node will not send (RFC 9113 §8.2.1)
      return true;
    }
    this.#responded = true;
    if (head.fields.transferEncodingFields > 0) {
      this.#decoder = new ChunkedBody((data) => stream.write(data)); // `bytes` are ours (copies)
    }
    return this.#body(bytes, end);
  }

  writeHead(head: string, body: Buffer, start: number, end: number): boolean {
    return this.write(withHead(head, body, start, end));
  }

  #body(bytes: Buffer, offset: number): boolean {
    const stream = this.#stream;
    // A response to HEAD has no content (RFC 9110 §9.3.2): the proxy's own pages carry one for HTTP/1 only.
    if (offset < bytes.length && this.#method !== 'HEAD') {
      if (this.#decoder) this.#decoder.take(bytes, offset);
      else stream.write(offset === 0 ? bytes : bytes.subarray(offset));
    }
    return !stream.writableNeedDrain;
  }

  pauseClient(): void {
    this.#stream.pause();
  }

  resumeClient(): void {
    if (!this.#stream.destroyed) this.#stream.resume();
  }

  fail(status: 502 | 503 | 504): void {
    this.#exchange = undefined;
    this.#host.stats.requestError();
    this.#answer(status);
  }

  finished(_keepClient: boolean): void {
    // A response that ended with its member connection is still whole: only HTTP/1 clients lose theirs.
    this.#exchange = undefined;
    this.#endResponse();
  }

  abort(): void {
    this.#reset(NGHTTP2_INTERNAL_ERROR);
  }

  tunnel(connection: MemberConnection, _first: Buffer): void {
    // Never asked: h2 requests carry no Upgrade and CONNECT is refused (h2-request-head.ts).
    connection.socket.destroy();
    this.abort();
  }
}
