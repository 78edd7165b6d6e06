// What the haproxy provider will not serve, in words the API reuses for its 501 (`Provider 'haproxy' does not
// support a requested option: …`, reference §4.2): UDP and SCTP (keepalived LVS is not used here), PROMETHEUS
// with TLS, X-SSL headers without TLS termination, and any value that cannot be written safely.
import type { DesiredListener, DesiredLoadBalancer, DesiredPool } from '../../model/desired-state.ts';
import { L7_RULE_TYPES } from '../../model/l7.ts';
import type { PemCertificate } from '../../model/tls-material.ts';
import { type OptionSupport, unsupportedBy } from '../option-support.ts';
import { RenderRefusal } from './config-quoting.ts';
import { renderHaproxyConfig } from './render-config.ts';

const HAPROXY_SUPPORT: OptionSupport = {
  listenerProtocols: new Set(['TCP', 'HTTP', 'HTTPS', 'TERMINATED_HTTPS', 'PROMETHEUS']),
  poolProtocols: new Set(['TCP', 'HTTP', 'HTTPS', 'PROXY', 'PROXYV2']),
  algorithms: new Set(['ROUND_ROBIN', 'LEAST_CONNECTIONS', 'SOURCE_IP', 'SOURCE_IP_PORT']),
  persistence: new Set(['SOURCE_IP', 'HTTP_COOKIE', 'APP_COOKIE']),
  // Every L7 rule type Octavia has, the SSL ones on TERMINATED_HTTPS listeners.
  ruleTypes: new Set(L7_RULE_TYPES),
  insertHeaders: new Set(['x-forwarded-for', 'x-forwarded-port', 'x-forwarded-proto']),
  monitors: new Set(['HTTP', 'HTTPS', 'PING', 'TCP', 'TLS-HELLO']),
};

/** The listeners whose frontend speaks HTTP, so L7 policies apply (reference §12.2 `mode`). */
const HTTP_LISTENERS = new Set(['HTTP', 'TERMINATED_HTTPS']);

/** Paths only used to try a render; nothing is written. */
const PROBE_PATHS = {
  statsSocket: '/probe/stats.sock',
  serverStateFile: '/probe/state',
  pingScript: '/probe/ping',
  tlsDir: '/probe/tls',
  metricsSocket: '/probe/metrics.sock',
};

/** The human-readable list of what in `desired` this provider cannot serve; empty when it can serve all. */
export function unsupportedOptions(desired: DesiredLoadBalancer): string[] {
  const found = unsupportedBy(withServedTls(desired), HAPROXY_SUPPORT);
  for (const listener of desired.listeners) {
    if (listener.l7policies.length > 0 && !HTTP_LISTENERS.has(listener.protocol))
      found.add(`L7 policies on a ${listener.protocol} listener`);
  }
  // Only a document made of supported parts is worth rendering; the renderer then names any unsafe value.
  if (found.size === 0) {
    const refusal = renderRefusal(desired);
    if (refusal) found.add(refusal);
  }
  return [...found];
}

/**
 * The document as the shared checks should see it: the X-SSL-* headers of TERMINATED_HTTPS listeners and the
 * re-encryption of pools are served here, so they are taken out; X-SSL-* on any other listener stays and is
 * refused.
 */
function withServedTls(desired: DesiredLoadBalancer): DesiredLoadBalancer {
  const listener = (l: DesiredListener): DesiredListener =>
    l.protocol !== 'TERMINATED_HTTPS'
      ? l
      : {
          ...l,
          insertHeaders: Object.fromEntries(
            Object.entries(l.insertHeaders).filter(([name]) => !name.toLowerCase().startsWith('x-ssl-')),
          ),
        };
  return {
    ...desired,
    listeners: desired.listeners.map(listener),
    pools: desired.pools.map((p) => (p.tls.enabled ? { ...p, tls: { ...p.tls, enabled: false } } : p)),
  };
}

/** Stands for a certificate, CA or CRL in the probe render, which only names files and never loads them. */
const PROBE_PEM = '-----BEGIN PROBE-----\n-----END PROBE-----\n';
const PROBE_CERTIFICATE: PemCertificate = {
  certificate: PROBE_PEM,
  privateKey: PROBE_PEM,
  intermediates: [],
  names: [],
  notAfter: '',
};

/**
 * The document with probe material wherever certificates are not resolved (yet): whether the provider serves
 * the options does not depend on them; applying a document without them is refused (haproxy-provider.ts).
 */
function withProbeMaterial(desired: DesiredLoadBalancer): DesiredLoadBalancer {
  const listener = (l: DesiredListener): DesiredListener => {
    if (l.protocol !== 'TERMINATED_HTTPS' || l.tls.material !== null) return l;
    const { clientCaContainerRef: ca, clientCrlContainerRef: crl } = l.tls;
    const material = {
      defaultCertificate: PROBE_CERTIFICATE,
      sniCertificates: l.tls.sniContainerRefs.map(() => PROBE_CERTIFICATE),
      clientCa: ca === null ? null : PROBE_PEM,
      clientCrl: ca === null || crl === null ? null : PROBE_PEM,
    };
    return { ...l, tls: { ...l.tls, material } };
  };
  const pool = (p: DesiredPool): DesiredPool => {
    if (!p.tls.enabled || p.tls.material !== null) return p;
    const { containerRef, caContainerRef, crlContainerRef } = p.tls;
    const material = {
      clientCertificate: containerRef === null ? null : PROBE_CERTIFICATE,
      ca: caContainerRef === null ? null : PROBE_PEM,
      crl: caContainerRef === null || crlContainerRef === null ? null : PROBE_PEM,
    };
    return { ...p, tls: { ...p.tls, material } };
  };
  return { ...desired, listeners: desired.listeners.map(listener), pools: desired.pools.map(pool) };
}

function renderRefusal(desired: DesiredLoadBalancer): string | undefined {
  try {
    renderHaproxyConfig(withProbeMaterial(desired), { paths: PROBE_PATHS });
    return undefined;
  } catch (error) {
    if (error instanceof RenderRefusal) return error.message;
    throw error;
  }
}
