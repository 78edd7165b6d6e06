// One HAProxy frontend per served listener, named by the listener id (reference §12.2): a bind per VIP
// address (with TLS termination for TERMINATED_HTTPS), maxconn, client timeouts, allowed_cidrs, inserted
// headers, HSTS, L7 ACLs and the default backend.
import type { DesiredListener, DesiredLoadBalancer } from '../../model/desired-state.ts';
import { hstsHeaderValue } from '../../model/tls-material.ts';
import { addressWithPort, cidr, RenderRefusal, safeId } from './config-quoting.ts';
import { METRICS_BACKEND } from './metrics-backend.ts';
import { activePolicies, renderL7 } from './render-l7.ts';
import { bindTlsOptions } from './render-tls.ts';
import type { TlsFileSet } from './tls-files.ts';

/** Octavia's `default_connection_limit`: what an unlimited (-1) listener gets as maxconn (reference §12.1). */
export const DEFAULT_CONNECTION_LIMIT = 50000;
/** Patterns per `acl` line: HAProxy cuts a line into at most 64 words (MAX_LINE_ARGS). */
const CIDRS_PER_LINE = 32;

export function listenerMode(listener: DesiredListener): 'http' | 'tcp' {
  if (
    listener.protocol === 'HTTP' ||
    listener.protocol === 'TERMINATED_HTTPS' ||
    listener.protocol === 'PROMETHEUS'
  )
    return 'http';
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
  files: TlsFileSet,
): string[] {
  const mode = listenerMode(listener);
  const body: string[] = [`maxconn ${connectionLimit(listener)}`];
  const terminated = listener.protocol === 'TERMINATED_HTTPS';
  // Octavia's frontend_macro: the header on every response of a TERMINATED_HTTPS listener, value quoted.
  // Its `redirect scheme https if !{ ssl_fc }` is left out: every bind here is TLS, so it could never fire.
  if (terminated && listener.tls.hsts !== null)
    body.push(`http-response set-header Strict-Transport-Security "${hstsHeaderValue(listener.tls.hsts)}"`);
  const tlsOptions = bindTlsOptions(listener, files);
  const addresses = [desired.vip.address, ...desired.vip.additional.map((a) => a.address)];
  for (const address of addresses) {
    const bind = `bind ${addressWithPort(address, listener.protocolPort, 'VIP')}`;
    body.push(tlsOptions === '' ? bind : `${bind} ${tlsOptions}`);
  }
  body.push(`mode ${mode}`, `timeout client ${timeout(listener.timeouts.clientData)}`);
  if (listener.timeouts.tcpInspect > 0)
    body.push(`tcp-request inspect-delay ${timeout(listener.timeouts.tcpInspect)}`);
  body.push(...allowedCidrs(listener.allowedCidrs));
  // HAProxy >= 2.4 closes idle keep-alive connections at a soft stop; a client reusing one would see a reload
  // as an error. This keeps them until their next response, which then says `Connection: close`.
  if (mode === 'http')
    body.push('option idle-close-on-response', ...insertHeaders(listener.insertHeaders, terminated));
  const policies = activePolicies(listener.l7policies, poolServed);
  if (policies.length > 0 && mode !== 'http')
    throw new RenderRefusal(`L7 policies on a ${listener.protocol} listener`);
  body.push(...renderL7(policies, backendOf));
  // PROMETHEUS listeners have no pool (Octavia refuses children under them): scrapes go to the provider.
  if (listener.protocol === 'PROMETHEUS') body.push(`default_backend ${METRICS_BACKEND}`);
  else if (listener.defaultPoolId !== null && poolServed(listener.defaultPoolId)) {
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

/**
 * The X-SSL-* headers of a TERMINATED_HTTPS listener and the sample fetch each carries, exactly as Octavia's
 * backend_macro renders them (`%{+Q}` quotes the value); HAProxy fetches them from the client's TLS connection.
 */
const SSL_HEADERS: readonly (readonly [string, string])[] = [
  ['X-SSL-Client-Verify', '%[ssl_c_verify]'],
  ['X-SSL-Client-Has-Cert', '%[ssl_c_used]'],
  ['X-SSL-Client-DN', '%{+Q}[ssl_c_s_dn]'],
  ['X-SSL-Client-CN', '%{+Q}[ssl_c_s_dn(cn)]'],
  ['X-SSL-Issuer', '%{+Q}[ssl_c_i_dn]'],
  ['X-SSL-Client-SHA1', '%{+Q}[ssl_c_sha1,hex]'],
  ['X-SSL-Client-Not-Before', '%{+Q}[ssl_c_notbefore]'],
  ['X-SSL-Client-Not-After', '%{+Q}[ssl_c_notafter]'],
];

/** insert_headers acts only on a `"true"` value (reference §4.3); the value itself never reaches the file. */
function insertHeaders(headers: Readonly<Record<string, string>>, terminated: boolean): string[] {
  const on = new Set(
    Object.entries(headers)
      .filter(([, value]) => value.toLowerCase() === 'true')
      .map(([name]) => name.toLowerCase()),
  );
  const lines: string[] = [];
  if (on.has('x-forwarded-for')) lines.push('option forwardfor');
  if (on.has('x-forwarded-port')) lines.push('http-request set-header X-Forwarded-Port %[dst_port]');
  // The scheme the client spoke to this frontend: every bind of a TERMINATED_HTTPS frontend is TLS.
  if (on.has('x-forwarded-proto'))
    lines.push(`http-request set-header X-Forwarded-Proto ${terminated ? 'https' : 'http'}`);
  if (terminated) {
    for (const [name, value] of SSL_HEADERS)
      if (on.has(name.toLowerCase())) lines.push(`http-request set-header ${name} ${value}`);
  }
  return lines;
}

function timeout(ms: number): number {
  if (!Number.isInteger(ms) || ms < 0) throw new RenderRefusal(`timeout ${ms}`);
  return ms;
}
