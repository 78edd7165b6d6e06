// What the haproxy provider will not serve, in words the API reuses for its 501 (`Provider 'haproxy' does not
// support a requested option: …`, reference §4.2): UDP and SCTP (keepalived LVS is not used here), TLS
// termination and re-encryption (no certificate store), PROMETHEUS, and any value that cannot be written safely.
import type { DesiredLoadBalancer } from '../../model/desired-state.js';
import { RenderRefusal } from './config-quoting.js';
import { renderHaproxyConfig } from './render-config.js';

const LISTENER_PROTOCOLS = new Set(['TCP', 'HTTP', 'HTTPS']);
const POOL_PROTOCOLS = new Set(['TCP', 'HTTP', 'HTTPS', 'PROXY', 'PROXYV2']);
const ALGORITHMS = new Set(['ROUND_ROBIN', 'LEAST_CONNECTIONS', 'SOURCE_IP', 'SOURCE_IP_PORT']);
const PERSISTENCE = new Set(['SOURCE_IP', 'HTTP_COOKIE', 'APP_COOKIE']);
const MONITORS = new Set(['HTTP', 'HTTPS', 'PING', 'TCP', 'TLS-HELLO']);
const RULE_TYPES = new Set(['HOST_NAME', 'PATH', 'FILE_TYPE', 'HEADER', 'COOKIE']);
const INSERT_HEADERS = new Set(['x-forwarded-for', 'x-forwarded-port', 'x-forwarded-proto']);

/** Paths only used to try a render; nothing is written. */
const PROBE_PATHS = {
  statsSocket: '/probe/stats.sock',
  serverStateFile: '/probe/state',
  pingScript: '/probe/ping',
};

/** The human-readable list of what in `desired` this provider cannot serve; empty when it can serve all. */
export function unsupportedOptions(desired: DesiredLoadBalancer): string[] {
  const found = new Set<string>();
  for (const listener of desired.listeners) {
    if (!LISTENER_PROTOCOLS.has(listener.protocol)) found.add(`listener protocol ${listener.protocol}`);
    for (const [name, value] of Object.entries(listener.insertHeaders)) {
      if (value.toLowerCase() === 'true' && !INSERT_HEADERS.has(name.toLowerCase())) {
        found.add(`insert_headers ${name}`);
      }
    }
    for (const policy of listener.l7policies) {
      if (listener.protocol !== 'HTTP') found.add(`L7 policies on a ${listener.protocol} listener`);
      for (const rule of policy.rules) {
        if (!RULE_TYPES.has(rule.type)) found.add(`L7 rule type ${rule.type}`);
      }
    }
  }
  for (const pool of desired.pools) {
    if (!POOL_PROTOCOLS.has(pool.protocol)) found.add(`pool protocol ${pool.protocol}`);
    if (!ALGORITHMS.has(pool.lbAlgorithm)) found.add(`lb_algorithm ${pool.lbAlgorithm}`);
    if (pool.tls.enabled) found.add('pool tls_enabled (re-encryption to members)');
    const persistence = pool.sessionPersistence;
    if (persistence && !PERSISTENCE.has(persistence.type))
      found.add(`session_persistence type ${persistence.type}`);
    if (pool.healthMonitor && !MONITORS.has(pool.healthMonitor.type)) {
      found.add(`health monitor type ${pool.healthMonitor.type}`);
    }
  }
  // Only a document made of supported parts is worth rendering; the renderer then names any unsafe value.
  if (found.size === 0) {
    const refusal = renderRefusal(desired);
    if (refusal) found.add(refusal);
  }
  return [...found];
}

function renderRefusal(desired: DesiredLoadBalancer): string | undefined {
  try {
    renderHaproxyConfig(desired, { paths: PROBE_PATHS });
    return undefined;
  } catch (error) {
    if (error instanceof RenderRefusal) return error.message;
    throw error;
  }
}
