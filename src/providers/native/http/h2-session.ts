// One HTTP/2 client connection of a TERMINATED_HTTPS listener (ALPN `h2`, RFC 9113 §3.2): Node's http2
// session over the TLS socket, bounded against hostile clients, each request stream served by an H2Stream.
// `timeout client` closes a session with no open stream; retiring the listener sends GOAWAY (§6.8).
import http2, { type ServerHttp2Session, type ServerHttp2Stream } from 'node:http2';
import type { TLSSocket } from 'node:tls';
import type { ClientKey } from '../balancing/lb-algorithms.ts';
import { unmapIPv4 } from '../cidr-match.ts';
import type { MemberConnections } from '../members/member-connections.ts';
import { type ClientCertFacts, clientCertFacts } from '../tls/client-cert-facts.ts';
import { H2Stream } from './h2-stream.ts';
import type { RouteHost } from './http-proxy.ts';
import type { SessionHost } from './http-session.ts';
import { MAX_HEAD_BYTES, MAX_HEADERS } from './http1-head.ts';

/** Streams one client may have open at once (SETTINGS_MAX_CONCURRENT_STREAMS, RFC 9113 §6.5.2). */
export const H2_MAX_CONCURRENT_STREAMS = 100;

/**
 * Limits of every session. The header list is bounded like an HTTP/1 head (SETTINGS_MAX_HEADER_LIST_SIZE,
 * which Node enforces with RST_STREAM ENHANCE_YOUR_CALM, and the translated head is checked against
 * MAX_HEAD_BYTES again); streams over the concurrency limit are refused by nghttp2 (REFUSED_STREAM), and a
 * client refused too often (maxSessionRejectedStreams) or sending too many invalid frames
 * (maxSessionInvalidFrames) loses its session. Rapid reset (CVE-2023-44487): nghttp2's token bucket on
 * RST_STREAM frames received (streamResetBurst / streamResetRate, https://nodejs.org/api/http2.html)
 * ends the session with GOAWAY once emptied; each reset stream also aborts its member exchange at once.
 */
const SESSION_OPTIONS: http2.ServerOptions = {
  settings: {
    maxConcurrentStreams: H2_MAX_CONCURRENT_STREAMS,
    maxHeaderListSize: MAX_HEAD_BYTES,
    enablePush: false,
  },
  maxHeaderListPairs: MAX_HEADERS + 4, // the fields of an HTTP/1 head and the four pseudo-header fields
  maxSessionRejectedStreams: 100,
  maxSessionInvalidFrames: 1000,
  streamResetBurst: 200,
  streamResetRate: 33,
};

export class H2Session implements RouteHost {
  readonly socket: TLSSocket;
  readonly client: ClientKey;
  readonly connections: MemberConnections;
  readonly #session: ServerHttp2Session;
  /** streams not closed yet */
  #open = 0;
  #tlsFacts: ClientCertFacts | undefined;

  constructor(socket: TLSSocket, host: SessionHost) {
    this.socket = socket;
    this.connections = host.connections;
    this.client = { address: unmapIPv4(socket.remoteAddress ?? ''), port: socket.remotePort ?? 0 };
    const session = http2.performServerHandshake(socket, SESSION_OPTIONS);
    this.#session = session;
    // A session error (protocol violation, ENHANCE_YOUR_CALM) ends this client's session, nothing else.
    session.on('error', () => {});
    session.on('stream', (stream: ServerHttp2Stream, _headers, _flags, raw: string[]) => {
      this.#open++;
      stream.once('close', () => this.#open--);
      new H2Stream(stream, host).start(raw, this);
    });
    const idle = host.current.listener.timeouts.clientData;
    if (idle > 0) {
      // `timeout client` (HAProxy manual): like the HTTP/1 session, a session with an open stream is kept;
      // the timer is armed again then, since Node's session timer, once fired, waits for nothing more.
      session.on('timeout', () => {
        if (this.#open === 0) session.close();
        else session.setTimeout(idle);
      });
      session.setTimeout(idle);
    }
  }

  /** The client certificate facts of the connection (read once, when a request first needs them). */
  get tlsFacts(): ClientCertFacts | undefined {
    this.#tlsFacts ??= clientCertFacts(this.socket);
    return this.#tlsFacts;
  }

  /** HTTP/2 has no Connection field (RFC 9113 §8.2.2): a stream's end never closes the connection. */
  connectionField(): undefined {
    return undefined;
  }

  /** The listener retires: GOAWAY, open streams finish, then the connection closes (RFC 9113 §6.8). */
  retire(): void {
    this.#session.close();
  }
}
