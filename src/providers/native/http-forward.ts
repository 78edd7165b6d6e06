// Forwarding one HTTP request to a pool member and streaming the answer back. A member that cannot be
// connected (or times out connecting) is retried on another one, up to 3 times (HAProxy `retries 3` +
// `option redispatch`, reference §12.1); the body is only streamed once the connection is up so a retry
// never loses it. `timeout server` is the member idle timeout (reference §12.3).
import http from 'node:http';
import net from 'node:net';
import type { DesiredMember } from '../../model/desired-state.js';
import type { ClientKey } from './lb-algorithms.js';
import type { MemberAgents } from './member-agents.js';
import { CONNECT_RETRIES } from './member-connect.js';
import type { PoolRuntime } from './pool-runtime.js';
import { proxyHeaderFor } from './proxy-protocol.js';

export type ForwardRequest = Readonly<{
  req: http.IncomingMessage;
  res: http.ServerResponse;
  pool: PoolRuntime;
  client: ClientKey;
  /** the member a persistence cookie asks for */
  preferred: string | undefined;
  headers: http.OutgoingHttpHeaders;
  timeouts: Readonly<{ memberConnect: number; memberData: number }>;
  agents: MemberAgents;
  /** adjusts the response headers for the member that answered (persistence cookies) */
  onResponse: (
    member: DesiredMember,
    headers: http.OutgoingHttpHeaders,
    upstream: http.IncomingMessage,
  ) => void;
  /** the proxy answers itself (no member, member failure): HAProxy's error pages */
  fail: (status: 502 | 503 | 504) => void;
}>;

/** Hop-by-hop headers (RFC 9110 §7.6.1) that belong to one connection and are never forwarded. */
export const HOP_BY_HOP = [
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
];

export function forwardHttp(request: ForwardRequest): void {
  attempt(request, 0, new Set());
}

function attempt(r: ForwardRequest, retry: number, tried: Set<string>): void {
  const member = r.pool.pick(r.client, { exclude: tried, preferred: retry === 0 ? r.preferred : undefined });
  if (!member) {
    r.fail(503);
    return;
  }
  r.pool.acquire(member.id);
  let settled = false;
  let connected = false;
  const release = () => {
    if (settled) return;
    settled = true;
    r.pool.release(member.id);
  };
  const upstream = http.request({
    host: member.address,
    port: member.protocolPort,
    method: r.req.method,
    path: r.req.url,
    headers: r.headers,
    setHost: false,
    // PROXY pools: the header describes one client, so their connections are never shared between
    // clients (HAProxy marks such connections private); other pools reuse keep-alive connections.
    ...(r.pool.proxyProtocol
      ? { createConnection: () => proxiedSocket(r, member) }
      : { agent: r.agents.for(member.address, member.protocolPort) }),
  });
  const connectTimer =
    r.timeouts.memberConnect > 0
      ? setTimeout(() => upstream.destroy(new Error('timeout connect')), r.timeouts.memberConnect)
      : undefined;
  const onConnected = () => {
    clearTimeout(connectTimer);
    connected = true;
    if (r.req.readableEnded) upstream.end();
    else r.req.pipe(upstream);
  };
  upstream.once('socket', (socket) => {
    if ((socket as net.Socket).connecting) socket.once('connect', onConnected);
    else onConnected();
  });
  if (r.timeouts.memberData > 0) {
    upstream.setTimeout(r.timeouts.memberData, () => upstream.destroy(new Error('timeout server')));
  }
  const clientGone = () => {
    if (!r.res.writableFinished) upstream.destroy();
  };
  r.res.once('close', clientGone);
  upstream.once('close', release);
  upstream.on('response', (answer) => {
    const headers: http.OutgoingHttpHeaders = { ...answer.headers };
    for (const name of HOP_BY_HOP) delete headers[name];
    r.onResponse(member, headers, answer);
    r.res.writeHead(answer.statusCode ?? 502, headers);
    answer.pipe(r.res);
    answer.once('error', () => r.res.destroy());
  });
  upstream.on('error', (error) => {
    clearTimeout(connectTimer);
    r.res.off('close', clientGone);
    release();
    if (r.res.headersSent || r.res.destroyed) {
      r.res.destroy();
      return;
    }
    // A kept-alive connection the member closed meanwhile fails on reuse; a request without a body can
    // safely go again (what Node's documentation recommends for `reusedSocket`).
    const staleReuse = connected && upstream.reusedSocket && !hasBody(r.req);
    if ((!connected || staleReuse) && retry < CONNECT_RETRIES) {
      if (!staleReuse) tried.add(member.id);
      attempt(r, retry + 1, tried);
      return;
    }
    r.fail(!connected ? 503 : error.message === 'timeout server' ? 504 : 502);
  });
}

function hasBody(req: http.IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

function proxiedSocket(r: ForwardRequest, member: DesiredMember): net.Socket {
  const socket = net.connect({ host: member.address, port: member.protocolPort });
  if (r.pool.proxyProtocol) socket.write(proxyHeaderFor(r.req.socket, r.pool.proxyProtocol));
  return socket;
}
