// HTTP-mode request handling (HTTP listeners, reference §12.2 `mode http`): L7 policies, the pool's
// persistence cookies, the inserted X-Forwarded-* headers, then what to forward; the proxy's own answers
// (403 deny, redirects, 503 without a pool) are HAProxy-like small pages (http-answers.ts).
import type net from 'node:net';
import { TLSSocket } from 'node:tls';
import type { DesiredMember } from '../../../model/desired-state.ts';
import type { ClientKey } from '../balancing/lb-algorithms.ts';
import type { PoolRuntime } from '../balancing/pool-runtime.ts';
import type { L7Request } from '../l7/l7-policies.ts';
import type { ListenerConfig } from '../listener-config.ts';
import type { MemberConnections } from '../members/member-connections.ts';
import { proxyHeaderFor } from '../members/proxy-protocol.ts';
import { type ClientCertFacts, sslHeaderValue } from '../tls/client-cert-facts.ts';
import { parseCookies, SERVER_COOKIE, setCookieValue, withoutCookie } from './http-cookies.ts';
import type { ExchangeRequest } from './http-exchange-contract.ts';
import { clientResponseHead, memberRequestHead } from './http-rewrite.ts';
import { type HeaderLine, headerValue, type RequestHead, type ResponseHead } from './http1-head.ts';
import { targetPath } from './http1-target.ts';

export type Route =
  | Readonly<{ kind: 'answer'; status: number; location?: string; error: boolean }>
  | Readonly<{ kind: 'forward'; request: ExchangeRequest }>;

/** What the client connection tells the router (the same object for every request on it). */
export interface RouteHost {
  readonly socket: net.Socket;
  readonly client: ClientKey;
  readonly connections: MemberConnections;
  /** the client certificate facts of a TLS connection (ssl_c_*); undefined on plain connections */
  readonly tlsFacts: ClientCertFacts | undefined;
  /** the Connection field the client's response needs (close / HTTP/1.0 keep-alive), if any */
  connectionField(untilClose: boolean): 'close' | 'keep-alive' | undefined;
}

/**
 * Decides what serves one request, with the configuration current when it arrived. Per-request objects are
 * class instances rather than closures: this runs for every request (tsx also wraps each closure it names).
 */
export function routeRequest(
  head: RequestHead,
  config: ListenerConfig,
  host: RouteHost,
  bodyless: boolean,
  upgrade: boolean,
): Route {
  const l7 = new L7View(head, host);
  const decision = config.route(l7);
  if (decision.kind === 'reject') return { kind: 'answer', status: 403, error: false };
  if (decision.kind === 'redirect') {
    return { kind: 'answer', status: decision.status, location: decision.location, error: false };
  }
  const pool = decision.kind === 'pool' ? config.pools.get(decision.poolId) : config.defaultPool;
  if (!pool) return { kind: 'answer', status: 503, error: true };
  return { kind: 'forward', request: new ForwardPlan(head, config, host, pool, l7, bodyless, upgrade) };
}

/** The request facts L7 rules fetch; cookies are parsed only when asked for. */
class L7View implements L7Request {
  readonly host: string | undefined;
  readonly path: string;
  readonly url: string;
  readonly #headers: readonly HeaderLine[];
  readonly #host: RouteHost;
  #cookies: Map<string, string> | undefined;

  constructor(head: RequestHead, host: RouteHost) {
    this.#host = host;
    const target = head.target;
    const query = target.indexOf('?');
    this.#headers = head.headers;
    // RFC 9112 §3.2.2: the authority of an absolute-form target replaces Host (the member gets it too).
    this.host = head.authority ?? firstValue(head.headers, 'host');
    this.path = targetPath(query < 0 ? target : target.slice(0, query));
    this.url = target;
  }

  header(name: string): string | undefined {
    return headerValue(this.#headers, name.toLowerCase());
  }

  cookie(name: string): string | undefined {
    this.#cookies ??= parseCookies(cookieText(this.#headers));
    return this.#cookies.get(name);
  }

  get tls(): ClientCertFacts | undefined {
    return this.#host.tlsFacts;
  }
}

const withoutServerCookie = (value: string) => withoutCookie(value, SERVER_COOKIE);

/** One request on its way to a pool: the member head, persistence, and the response head rewrite. */
class ForwardPlan implements ExchangeRequest {
  readonly method: string;
  readonly minor: number;
  readonly pool: PoolRuntime;
  readonly client: ClientKey;
  readonly preferred: string | undefined;
  readonly head: string;
  readonly bodyless: boolean;
  readonly proxyHeader: Buffer | undefined;
  readonly upgrade: boolean;
  readonly servername: string | undefined;
  readonly timeouts: Readonly<{ memberConnect: number; memberData: number }>;
  readonly connections: MemberConnections;
  readonly #host: RouteHost;
  readonly #srv: string | undefined;
  readonly #appCookie: string;
  readonly #appValue: string | undefined;
  readonly #hsts: string | undefined;

  constructor(
    head: RequestHead,
    config: ListenerConfig,
    host: RouteHost,
    pool: PoolRuntime,
    l7: L7View,
    bodyless: boolean,
    upgrade: boolean,
  ) {
    const persistence = pool.persistenceType;
    this.#host = host;
    this.#appCookie = pool.pool.sessionPersistence?.cookieName ?? '';
    this.#srv = persistence === 'HTTP_COOKIE' ? l7.cookie(SERVER_COOKIE) : undefined;
    this.#appValue = persistence === 'APP_COOKIE' ? l7.cookie(this.#appCookie) : undefined;
    this.method = head.method;
    this.minor = head.minor;
    this.pool = pool;
    this.client = host.client;
    this.preferred = this.#srv ?? (this.#appValue !== undefined ? pool.stuckTo(this.#appValue) : undefined);
    const { insert } = config;
    this.#hsts = config.tls?.hsts;
    const facts = insert.ssl.length > 0 ? host.tlsFacts : undefined;
    this.head = memberRequestHead(head, {
      // `indirect`: the SRV cookie is ours, the member never sees it (HAProxy manual, `cookie`).
      cookie: persistence === 'HTTP_COOKIE' ? withoutServerCookie : undefined,
      forwardedFor: insert.forwardedFor ? host.client.address : undefined,
      forwardedPort: insert.forwardedPort ? String(host.socket.localPort ?? '') : undefined,
      forwardedProto: insert.forwardedProto,
      set: facts ? insert.ssl.map((name) => [name, sslHeaderValue(name, facts) ?? ''] as const) : undefined,
      upgrade,
    });
    this.bodyless = bodyless;
    this.proxyHeader = pool.proxyProtocol ? proxyHeaderFor(host.socket, pool.proxyProtocol) : undefined;
    this.upgrade = upgrade;
    const socket = host.socket;
    this.servername =
      pool.memberTls && socket instanceof TLSSocket ? socket.servername || undefined : undefined;
    this.timeouts = config.listener.timeouts;
    this.connections = host.connections;
  }

  /**
   * The response's head for the client: counted for the member's metrics, then persistence on the way back
   * (insert SRV for HTTP_COOKIE, learn the member's cookie for APP_COOKIE).
   */
  clientHead(member: DesiredMember, response: ResponseHead, untilClose: boolean): string {
    const connection = this.#host.connectionField(untilClose);
    const pool = this.pool;
    pool.responded(member.id, response.status);
    if (pool.persistenceType === 'HTTP_COOKIE' && this.#srv !== member.id) {
      // `insert … nocache`: set the cookie when the client lacks the right one, and keep caches from
      // storing a response that carries it.
      return clientResponseHead(response, {
        setCookie: `${SERVER_COOKIE}=${member.id}; path=/`,
        cachePrivate: true,
        connection,
        hsts: this.#hsts,
      });
    }
    if (pool.persistenceType === 'APP_COOKIE') {
      // `stick store-response res.cook(<name>)` then `stick match req.cook(<name>)`.
      const setCookies = response.headers.filter((h) => h.lower === 'set-cookie').map((h) => h.value);
      const learned = setCookieValue(setCookies, this.#appCookie);
      if (learned !== undefined) pool.remember(learned, member.id);
      else if (this.#appValue !== undefined) pool.remember(this.#appValue, member.id);
    }
    return clientResponseHead(response, { connection, hsts: this.#hsts });
  }
}

function firstValue(headers: readonly HeaderLine[], lower: string): string | undefined {
  for (const h of headers) if (h.lower === lower) return h.value;
  return undefined;
}

/** Every Cookie field line as one (HTTP/1.1 clients send one; RFC 6265 §5.4 joins them with "; "). */
function cookieText(headers: readonly HeaderLine[]): string | undefined {
  let text: string | undefined;
  for (const h of headers) {
    if (h.lower === 'cookie') text = text === undefined ? h.value : `${text}; ${h.value}`;
  }
  return text;
}
