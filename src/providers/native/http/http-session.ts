// One client connection of an HTTP listener on a raw socket: request heads parsed as they arrive, one
// request at a time (pipelined ones wait their turn, RFC 9112 §9.3.2), keep-alive by the client's rules,
// `timeout client` only while no request waits on a member, and tunnels after a 101 / CONNECT.
import type net from 'node:net';
import { TLSSocket } from 'node:tls';
import type { ClientKey } from '../balancing/lb-algorithms.ts';
import { unmapIPv4 } from '../cidr-match.ts';
import type { ListenerConfig } from '../listener-config.ts';
import { owned } from '../listener-read-through.ts';
import type { ListenerStats } from '../listener-stats.ts';
import type { AccessLogEntries } from '../logs/access-log-entries.ts';
import type { MemberConnection, MemberConnections } from '../members/member-connections.ts';
import { IdleWatch } from '../tcp/idle-watch.ts';
import { type ClientCertFacts, clientCertFacts } from '../tls/client-cert-facts.ts';
import { answerBytes } from './http-answers.ts';
import { HttpExchange } from './http-exchange.ts';
import type { ExchangeOwner } from './http-exchange-contract.ts';
import { type RouteHost, routeRequest } from './http-proxy.ts';
import { headWithBody } from './http-rewrite.ts';
import { TunnelEnd } from './http-tunnel.ts';
import { type BodyFraming, NO_BODY } from './http1-body.ts';
import { closesAfter, hostValid, requestBody } from './http1-framing.ts';
import { headEnd, MAX_HEAD_BYTES, parseRequestHead, type RequestHead, skipEmptyLines } from './http1-head.ts';
import { RequestLog } from './request-log.ts';

/** How long a closing connection waits for the client to close its side. */
const LINGER_MS = 5000;

/** What a session needs from its listener binding, read at each request (hitless apply). */
export interface SessionHost {
  readonly current: ListenerConfig;
  readonly stats: ListenerStats;
  readonly connections: MemberConnections;
  /** the listener is going away: finish the current request, then close */
  readonly retired: boolean;
  /** the load balancer's access log; absent when the listener does not log */
  readonly accessLog?: AccessLogEntries | undefined;
}

export class HttpSession implements ExchangeOwner, RouteHost {
  readonly socket: net.Socket;
  readonly client: ClientKey;
  readonly connections: MemberConnections;
  readonly #socket: net.Socket;
  readonly #host: SessionHost;
  /** client bytes not handled yet (a partial head, pipelined requests) */
  #buffer: Buffer | undefined;
  #exchange: HttpExchange | undefined;
  #body: BodyFraming = NO_BODY;
  #closeAfter = false;
  #keepAlive10 = false;
  #clientEnded = false;
  /** when the current exchange's request head was read (performance.now()) */
  #startedAt = 0;
  #closing = false;
  #tunnel: MemberConnection | undefined;
  #looping = false;
  #tlsFacts: ClientCertFacts | undefined;
  /** `timeout client` between requests; undefined when none, once closing, or tunnelled (see #watchIdle) */
  #idle: IdleWatch | undefined;
  /** the access log record of the request being served (undefined when the listener does not log) */
  #log: RequestLog | undefined;
  /** the socket's bytesRead when the last logged request ended */
  #readMark = 0;

  constructor(socket: net.Socket, host: SessionHost) {
    this.#socket = socket;
    this.socket = socket;
    this.#host = host;
    this.connections = host.connections;
    this.client = { address: unmapIPv4(socket.remoteAddress ?? ''), port: socket.remotePort ?? 0 };
    this.#watchIdle();
    socket.on('end', () => this.#onEnd());
    socket.on('drain', () => {
      if (this.#tunnel) this.#tunnel.socket.resume();
      else this.#exchange?.clientDrained();
    });
    socket.on('timeout', () => {
      if (!this.#exchange && !this.#tunnel) socket.destroy();
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      this.#closing = true;
      this.#idle?.stop();
      // The client went away before its response was whole (HAProxy's `CD`: client abort, data phase).
      if (this.#exchange) this.#logged(this.#exchange.status, this.#exchange, 'CD--');
      this.#exchange?.abort();
      this.#exchange = undefined;
      this.#tunnel?.socket.destroy();
    });
  }

  /** The client certificate facts of a TLS connection (read once, when a request first needs them). */
  get tlsFacts(): ClientCertFacts | undefined {
    if (!(this.#socket instanceof TLSSocket)) return undefined;
    this.#tlsFacts ??= clientCertFacts(this.#socket);
    return this.#tlsFacts;
  }

  /** The listener retires: an idle connection closes now, a busy one after its response. */
  retire(): void {
    if (!this.#exchange && !this.#tunnel) this.#close();
  }

  /**
   * Bytes from the client. A plain connection hands over views of the listener's shared read buffer
   * (listener-read-through.ts), valid only during this call: whatever outlives it is copied (`owned`).
   */
  receive(chunk: Buffer): void {
    if (this.#closing) return;
    this.#idle?.touch();
    if (this.#tunnel) {
      if (!this.#tunnel.write(owned(chunk))) this.#socket.pause();
      return;
    }
    if (this.#exchange && !this.#body.done) {
      const n = this.#body.take(chunk, 0);
      if (this.#body.error) {
        this.#host.stats.requestError();
        this.#socket.destroy();
        return;
      }
      this.#exchange.body(owned(n === chunk.length ? chunk : chunk.subarray(0, n)), this.#body.done);
      if (n === chunk.length) return;
      chunk = chunk.subarray(n);
    }
    this.#buffer = this.#buffer ? Buffer.concat([this.#buffer, chunk]) : chunk;
    if (!this.#exchange) this.#next();
    else if (this.#buffer.length > MAX_HEAD_BYTES) this.#socket.pause(); // pipelined: wait our turn
    // A partial head or pipelined requests wait for later reads: no longer in the shared buffer then.
    if (this.#buffer) this.#buffer = owned(this.#buffer);
  }

  /** Starts the requests waiting in the buffer, one at a time. */
  #next(): void {
    if (this.#looping) return; // an exchange that ended at once: the running loop goes on
    this.#looping = true;
    try {
      this.#loop();
    } finally {
      this.#looping = false;
    }
    if (!this.#exchange && this.#clientEnded && !this.#closing) this.#close();
  }

  #loop(): void {
    while (!this.#exchange && !this.#closing && this.#buffer) {
      const buf = this.#buffer;
      const start = skipEmptyLines(buf);
      if (start === buf.length) {
        this.#buffer = undefined;
        break;
      }
      const end = headEnd(buf, start);
      if (end < 0 || end - start > MAX_HEAD_BYTES) {
        this.#buffer = start > 0 ? buf.subarray(start) : buf;
        // A head larger than HAProxy's buffer is a 400 there too (no 431 in HAProxy 2.6).
        if (end >= 0 || buf.length - start > MAX_HEAD_BYTES) this.#badRequest();
        break;
      }
      const head = parseRequestHead(buf, start, end);
      this.#startLog(head);
      const body = head && hostValid(head) ? requestBody(head) : undefined;
      if (!head || !body) {
        this.#badRequest();
        break;
      }
      const n = body.take(buf, end);
      if (body.error) {
        this.#badRequest();
        break;
      }
      this.#buffer = end + n < buf.length ? buf.subarray(end + n) : undefined;
      this.#body = body;
      const tokens = head.fields.connection;
      this.#keepAlive10 = head.minor === 0 && tokens.includes('keep-alive');
      this.#closeAfter = closesAfter(head) || this.#host.retired;
      const upgrade = tokens.includes('upgrade') && head.headers.some((h) => h.lower === 'upgrade');
      const route = routeRequest(head, this.#host.current, this, body === NO_BODY, upgrade);
      if (route.kind === 'answer') {
        if (route.error) this.#host.stats.requestError();
        this.#answer(route.status, route.location);
        // The proxy answered itself: a deny or redirect (`PR`/`LR`), or no pool to serve (`SC`).
        this.#logged(route.status, undefined, route.error ? 'SC--' : route.location ? 'LR--' : 'PR--');
        continue;
      }
      const exchange = new HttpExchange(route.request, this, owned(buf.subarray(end, end + n)), body.done);
      this.#exchange = exchange;
      this.#startedAt = performance.now();
      exchange.start();
    }
  }

  connectionField(untilClose: boolean): 'close' | 'keep-alive' | undefined {
    if (this.#closeAfter || untilClose || this.#host.retired) return 'close';
    return this.#keepAlive10 ? 'keep-alive' : undefined;
  }

  /** A response of the proxy's own; the connection stays only if the request body was all read. */
  #answer(status: number, location?: string): void {
    if (!this.#body.done) this.#closeAfter = true;
    const close = this.#closeAfter || this.#host.retired;
    this.#socket.write(answerBytes(status, { location, close, keepAlive10: this.#keepAlive10 }));
    if (close) this.#close();
  }

  #badRequest(): void {
    this.#host.stats.requestError();
    this.#buffer = undefined;
    this.#closeAfter = true;
    this.#socket.write(answerBytes(400, { close: true }));
    this.#logged(400, undefined, 'PR--');
    this.#close();
  }

  /** Starts the access log record of a request just parsed (`head` undefined: a bad one). */
  #startLog(head: RequestHead | undefined): void {
    const ring = this.#host.accessLog;
    if (!ring) return;
    const socket = this.#socket;
    this.#log = new RequestLog(
      ring,
      this.#host.current.listener.id,
      this.client,
      socket,
      head,
      this.#readMark,
    );
  }

  /** Ends the access log record of the current request (once). */
  #logged(
    status: number | undefined,
    exchange: Readonly<{ poolId: string; servedBy: string | undefined }> | undefined,
    termination: string,
  ): void {
    const log = this.#log;
    if (!log) return;
    this.#log = undefined;
    this.#readMark = log.end(status, exchange?.poolId, exchange?.servedBy, this.tlsFacts, termination);
  }

  /**
   * Ends our side and lets the client close its own (a lingering close, like HAProxy's: destroying at once
   * could reset the connection over unread client bytes and lose the response). A client that never
   * closes is dropped by the timeout handler after LINGER_MS.
   */
  #close(): void {
    this.#closing = true;
    this.#idle?.stop();
    this.#idle = undefined;
    this.#buffer = undefined;
    this.#socket.end();
    this.#socket.setTimeout(LINGER_MS);
  }

  /**
   * `timeout client` between requests (https://docs.haproxy.org/2.6/configuration.html#4.2-timeout%20client):
   * an IdleWatch touched when the client sends and when a response ends, rather than socket.setTimeout, which
   * Node re-arms on every read and every write (a clock read and a timer-list insert each, two per request; see
   * tcp/idle-watch.ts). While a request waits on its member the timeout does not apply: the watch then starts
   * again, as Node's timer would at the next byte.
   */
  #watchIdle(): void {
    const idle = this.#host.current.listener.timeouts.clientData;
    this.#idle = idle > 0 ? new IdleWatch(idle, () => this.#idleTimeout()) : undefined;
  }

  #idleTimeout(): void {
    if (this.#closing || this.#tunnel) return;
    if (this.#exchange) this.#watchIdle();
    else this.#socket.destroy();
  }

  #onEnd(): void {
    this.#clientEnded = true;
    if (this.#tunnel) {
      this.#tunnel.socket.end();
      return;
    }
    // A request cut in its body cannot be completed; a complete one still gets its response.
    if (this.#exchange && !this.#body.done) this.#socket.destroy();
    else if (!this.#exchange) this.#next();
  }

  // ExchangeOwner: what the member side asks of the client connection.

  write(bytes: Buffer): boolean {
    return this.#socket.write(bytes);
  }

  writeHead(head: string, body: Buffer, start: number, end: number): boolean {
    return this.#socket.write(headWithBody(head, body, start, end), 'latin1');
  }

  pauseClient(): void {
    this.#socket.pause();
  }

  resumeClient(): void {
    if (!this.#closing) this.#socket.resume();
  }

  fail(status: 502 | 503 | 504): void {
    const exchange = this.#exchange;
    this.#exchange = undefined;
    this.#host.stats.requestError();
    this.#answer(status);
    // No member could take it (`SC`), or the member failed (`SH`) or timed out (`sH`) before its headers.
    this.#logged(status, exchange, status === 503 ? 'SC--' : status === 504 ? 'sH--' : 'SH--');
    this.#afterExchange();
  }

  finished(keepClient: boolean): void {
    const exchange = this.#exchange;
    this.#exchange = undefined;
    this.#host.stats.requestTime(performance.now() - this.#startedAt);
    if (exchange) this.#logged(exchange.status, exchange, '----');
    if (!keepClient || !this.#body.done || this.#closeAfter || this.#host.retired) {
      this.#close();
      return;
    }
    this.#afterExchange();
  }

  abort(): void {
    const exchange = this.#exchange;
    this.#exchange = undefined;
    // The member side broke after the response started (`SD`: server abort, data phase).
    if (exchange) this.#logged(exchange.status, exchange, 'SD--');
    this.#socket.destroy();
  }

  tunnel(connection: MemberConnection, first: Buffer): void {
    const exchange = this.#exchange;
    this.#exchange = undefined;
    if (exchange) this.#logged(exchange.status ?? 101, exchange, '----');
    this.#tunnel = connection;
    // A tunnel is silent for `timeout client` only when neither side moves: Node's socket timeout, re-armed
    // on every read and write of the client socket, is that rule (TunnelEnd listens to its 'timeout').
    this.#idle?.stop();
    this.#idle = undefined;
    const idle = this.#host.current.listener.timeouts.clientData;
    if (idle > 0) this.#socket.setTimeout(idle);
    // The member side keeps timeout_member_data, as HAProxy keeps `timeout server` on a tunnel when no
    // `timeout tunnel` is set (Octavia renders none); TunnelEnd closes both ends when either side times out.
    connection.user = new TunnelEnd(this.#socket, connection);
    this.#socket.write(first);
    const early = this.#buffer;
    this.#buffer = undefined;
    if (early) connection.write(early);
    if (this.#clientEnded) connection.socket.end();
    this.#socket.resume();
  }

  #afterExchange(): void {
    if (this.#closing) return;
    this.#idle?.touch(); // the quiet period starts after the response, not before
    this.#socket.resume();
    this.#next();
  }
}
