// One HAProxy frontend per served listener, named by the listener id (reference §12.2): a bind per VIP
// address, maxconn, client timeouts, allowed_cidrs, inserted headers, L7 ACLs and the default backend.
import type { DesiredListener, DesiredLoadBalancer } from '../../model/desired-state.ts';
import { addressWithPort, cidr, RenderRefusal, safeId } from './config-quoting.ts';
import { activePolicies, renderL7 } from './render-l7.ts';

/** Octavia's `default_connection_limit`: what an unlimited (-1) listener gets as maxconn (reference §12.1). */
export const DEFAULT_CONNECTION_LIMIT = 50000;
/** Patterns per `acl` line: HAProxy cuts a line into at most 64 words (MAX_LINE_ARGS). */
const CIDRS_PER_LINE = 32;

export function listenerMode(listener: DesiredListener): 'http' | 'tcp' {
  if (listener.protocol === 'HTTP') return 'http';
  if (listener.protocol === 'TCP' || listener.protocol === 'HTTPS') return 'tcp';
  throw new RenderRefusal(`listener protocol ${listener.protocol}`);
}

export function connectionLimit(listener: DesiredListener): number {
  return listener.connectionLimit < 0 ? DEFAULT_CONNECTION_LIMIT : listener.connectionLimit;
}

export function renderFrontend(
  desired: DesiredLoadBalancer,
  listener: DesiredListener,
  poolServed: (poolId: string) => boolean,
  backendOf: (poolId: string) => string,
): string[] {
  const mode = listenerMode(listener);
  const body: string[] = [`maxconn ${connectionLimit(listener)}`];
  const addresses = [desired.vip.address, ...desired.vip.additional.map((a) => a.address)];
  for (const address of addresses)
    body.push(`bind ${addressWithPort(address, listener.protocolPort, 'VIP')}`);
  body.push(`mode ${mode}`, `timeout client ${timeout(listener.timeouts.clientData)}`);
  if (listener.timeouts.tcpInspect > 0)
    body.push(`tcp-request inspect-delay ${timeout(listener.timeouts.tcpInspect)}`);
  body.push(...allowedCidrs(listener.allowedCidrs));
  // HAProxy >= 2.4 closes idle keep-alive connections at a soft stop; a client reusing one would see a reload
  // as an error. This keeps them until their next response, which then says `Connection: close`.
  if (mode === 'http') body.push('option idle-close-on-response', ...insertHeaders(listener.insertHeaders));
  const policies = activePolicies(listener.l7policies, poolServed);
  if (policies.length > 0 && mode !== 'http')
    throw new RenderRefusal(`L7 policies on a ${listener.protocol} listener`);
  body.push(...renderL7(policies, backendOf));
  if (listener.defaultPoolId !== null && poolServed(listener.defaultPoolId)) {
    body.push(`default_backend ${backendOf(listener.defaultPoolId)}`);
  }
  return [`frontend ${safeId(listener.id, 'listener')}`, ...body.map((line) => `    ${line}`)];
}

/**
 * The admitted sources (allowed_cidrs, or what VIP security groups admit) as a connection-level reject: Octavia
 * uses security-group rules on the VIP port; here HAProxy refuses the connection right after accept. Patterns on several `acl` lines of
 * one name are ORed; the name holds a `:`, which no object id may, so it cannot clash with a rule ACL.
 */
function allowedCidrs(cidrs: readonly string[] | null): string[] {
  if (cidrs === null) return [];
  // An empty list admits nobody (VIP security groups without a matching rule).
  if (cidrs.length === 0) return ['tcp-request connection reject'];
  const patterns = cidrs.map(cidr);
  const lines: string[] = [];
  for (let i = 0; i < patterns.length; i += CIDRS_PER_LINE) {
    lines.push(`acl sluice:allowed-cidr src ${patterns.slice(i, i + CIDRS_PER_LINE).join(' ')}`);
  }
  lines.push('tcp-request connection reject if !sluice:allowed-cidr');
  return lines;
}

/** insert_headers acts only on a `"true"` value (reference §4.3); the value itself never reaches the file. */
function insertHeaders(headers: Readonly<Record<string, string>>): string[] {
  const on = new Set(
    Object.entries(headers)
      .filter(([, value]) => value.toLowerCase() === 'true')
      .map(([name]) => name.toLowerCase()),
  );
  const lines: string[] = [];
  if (on.has('x-forwarded-for')) lines.push('option forwardfor');
  if (on.has('x-forwarded-port')) lines.push('http-request set-header X-Forwarded-Port %[dst_port]');
  // No TLS termination here, so the client always spoke plain HTTP to this frontend.
  if (on.has('x-forwarded-proto')) lines.push('http-request set-header X-Forwarded-Proto http');
  return lines;
}

function timeout(ms: number): number {
  if (!Number.isInteger(ms) || ms < 0) throw new RenderRefusal(`timeout ${ms}`);
  return ms;
}
