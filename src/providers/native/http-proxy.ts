// HTTP-mode request handling (HTTP listeners, reference §12.2 `mode http`): L7 policies, the pool's
// persistence cookies, the inserted X-Forwarded-* headers, then forwarding; the proxy's own answers
// (403 deny, redirects, 502/503/504) are small bodies like HAProxy's error pages.
import type http from 'node:http';
import type { DesiredMember } from '../../model/desired-state.js';
import { unmapIPv4 } from './cidr-match.js';
import { parseCookies, SERVER_COOKIE, setCookieValue, withoutCookie } from './http-cookies.js';
import { forwardHttp, HOP_BY_HOP } from './http-forward.js';
import type { L7Request } from './l7-policies.js';
import type { ListenerConfig } from './listener-config.js';
import type { ListenerStats } from './listener-stats.js';
import type { MemberAgents } from './member-agents.js';
import type { PoolRuntime } from './pool-runtime.js';

const REASONS: Readonly<Record<number, string>> = {
  400: 'Your browser sent an invalid request.',
  403: 'Request forbidden by administrative rules.',
  502: 'The server returned an invalid or incomplete response.',
  503: 'No server is available to handle this request.',
  504: 'The server didn\u2019t respond in time.',
};

export function answer(res: http.ServerResponse, status: number, extra: http.OutgoingHttpHeaders = {}): void {
  const body = REASONS[status] ? `<html><body><h1>${status}</h1>\n${REASONS[status]}\n</body></html>\n` : '';
  res.writeHead(status, {
    'content-type': 'text/html',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-cache',
    ...extra,
  });
  res.end(body);
}

/** Serves one request with the configuration current when it arrived. */
export function proxyHttpRequest(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  config: ListenerConfig,
  stats: ListenerStats,
  agents: MemberAgents,
): void {
  const cookies = parseCookies(req.headers.cookie);
  const url = req.url ?? '/';
  const query = url.indexOf('?');
  const l7: L7Request = {
    host: req.headers.host,
    path: query < 0 ? url : url.slice(0, query),
    url,
    header: (name) => headerText(req.headers[name.toLowerCase()]),
    cookie: (name) => cookies.get(name),
  };
  const decision = config.route(l7);
  if (decision.kind === 'reject') {
    answer(res, 403);
    return;
  }
  if (decision.kind === 'redirect') {
    answer(res, decision.status, { location: decision.location });
    return;
  }
  const pool = decision.kind === 'pool' ? config.pools.get(decision.poolId) : config.defaultPool;
  const fail = (status: 502 | 503 | 504) => {
    stats.requestError();
    answer(res, status);
  };
  if (!pool) {
    fail(503);
    return;
  }
  const persistence = pool.persistenceType;
  const appCookie = pool.pool.sessionPersistence?.cookieName ?? '';
  const srv = persistence === 'HTTP_COOKIE' ? cookies.get(SERVER_COOKIE) : undefined;
  const appValue = persistence === 'APP_COOKIE' ? cookies.get(appCookie) : undefined;
  const preferred = srv ?? (appValue !== undefined ? pool.stuckTo(appValue) : undefined);
  const client = { address: unmapIPv4(req.socket.remoteAddress ?? ''), port: req.socket.remotePort ?? 0 };
  forwardHttp({
    req,
    res,
    pool,
    client,
    preferred,
    headers: memberHeaders(req, config, client.address, persistence === 'HTTP_COOKIE'),
    timeouts: config.listener.timeouts,
    agents,
    onResponse: (member, headers, upstream) =>
      persist(pool, member, headers, upstream, { srv, appCookie, appValue }),
    fail,
  });
}

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

/** The request headers the member gets: hop-by-hop removed, SRV cookie stripped, X-Forwarded-* added. */
function memberHeaders(
  req: http.IncomingMessage,
  config: ListenerConfig,
  clientAddress: string,
  stripServerCookie: boolean,
): http.OutgoingHttpHeaders {
  const headers: http.OutgoingHttpHeaders = { ...req.headers };
  for (const name of HOP_BY_HOP) delete headers[name];
  if (stripServerCookie && req.headers.cookie) {
    // `indirect`: the cookie is ours, the member never sees it (HAProxy manual, `cookie`).
    const rest = withoutCookie(req.headers.cookie, SERVER_COOKIE);
    if (rest === undefined) delete headers.cookie;
    else headers.cookie = rest;
  }
  const { insert } = config;
  if (insert.forwardedFor) {
    // `option forwardfor` appends the client address to what earlier proxies recorded.
    const earlier = headerText(req.headers['x-forwarded-for']);
    headers['x-forwarded-for'] = earlier ? `${earlier}, ${clientAddress}` : clientAddress;
  }
  if (insert.forwardedPort) headers['x-forwarded-port'] = String(req.socket.localPort ?? '');
  if (insert.forwardedProto) headers['x-forwarded-proto'] = 'http';
  return headers;
}

/** Persistence on the way back: insert SRV (HTTP_COOKIE) or learn the member's cookie (APP_COOKIE). */
function persist(
  pool: PoolRuntime,
  member: DesiredMember,
  headers: http.OutgoingHttpHeaders,
  upstream: http.IncomingMessage,
  request: Readonly<{ srv: string | undefined; appCookie: string; appValue: string | undefined }>,
): void {
  if (pool.persistenceType === 'HTTP_COOKIE' && request.srv !== member.id) {
    // `insert … nocache`: set the cookie when the client lacks the right one, and keep caches from
    // storing a response that carries it.
    const cookie = `${SERVER_COOKIE}=${member.id}; path=/`;
    const existing = upstream.headers['set-cookie'] ?? [];
    headers['set-cookie'] = [...existing, cookie];
    headers['cache-control'] = 'private';
  } else if (pool.persistenceType === 'APP_COOKIE') {
    // `stick store-response res.cook(<name>)` then `stick match req.cook(<name>)`.
    const learned = setCookieValue(upstream.headers['set-cookie'], request.appCookie);
    if (learned !== undefined) pool.remember(learned, member.id);
    else if (request.appValue !== undefined) pool.remember(request.appValue, member.id);
  }
}
