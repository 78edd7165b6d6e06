// What the native data plane cannot do yet, in words the API reuses for its 501
// (`Provider 'native' does not support a requested option: …`, reference §4.2 last line).
import type { DesiredLoadBalancer } from '../../model/desired-state.js';

const LISTENER_PROTOCOLS = new Set(['TCP', 'HTTP', 'HTTPS', 'UDP']);
const POOL_PROTOCOLS = new Set(['TCP', 'HTTP', 'HTTPS', 'UDP', 'PROXY', 'PROXYV2']);
const ALGORITHMS = new Set(['ROUND_ROBIN', 'LEAST_CONNECTIONS', 'SOURCE_IP', 'SOURCE_IP_PORT']);
const PERSISTENCE = new Set(['SOURCE_IP', 'HTTP_COOKIE', 'APP_COOKIE']);
const RULE_TYPES = new Set(['HOST_NAME', 'PATH', 'FILE_TYPE', 'HEADER', 'COOKIE']);
const INSERT_HEADERS = new Set(['x-forwarded-for', 'x-forwarded-port', 'x-forwarded-proto']);

/** The human-readable list of things in `desired` this provider cannot serve; empty when it can serve all. */
export function unsupportedOptions(desired: DesiredLoadBalancer): string[] {
  const found = new Set<string>();
  for (const listener of desired.listeners) {
    if (!LISTENER_PROTOCOLS.has(listener.protocol)) found.add(`listener protocol ${listener.protocol}`);
    for (const [name, value] of Object.entries(listener.insertHeaders)) {
      // Only a "true" value asks for anything (reference §4.3); X-SSL-* need TLS termination.
      if (value.toLowerCase() === 'true' && !INSERT_HEADERS.has(name.toLowerCase())) {
        found.add(`insert_headers ${name}`);
      }
    }
    for (const policy of listener.l7policies) {
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
    if (persistence && !PERSISTENCE.has(persistence.type)) {
      found.add(`session_persistence type ${persistence.type}`);
    }
  }
  return [...found];
}
