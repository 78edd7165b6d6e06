// The checks every provider's `unsupportedOptions` makes (reference §4.2's 501): which protocols, algorithms,
// persistence types, L7 rule types, inserted headers and monitor types it serves, given as sets. Each
// provider declares its sets and adds its own checks after.
import type { DesiredLoadBalancer } from '../model/desired-state.ts';

export type OptionSupport = Readonly<{
  listenerProtocols: ReadonlySet<string>;
  poolProtocols: ReadonlySet<string>;
  algorithms: ReadonlySet<string>;
  persistence: ReadonlySet<string>;
  ruleTypes: ReadonlySet<string>;
  /** lower-case names of the insert_headers it can add */
  insertHeaders: ReadonlySet<string>;
  /** absent: every monitor type */
  monitors?: ReadonlySet<string>;
  /** L7 policies only on HTTP listeners */
  l7OnlyOnHttp?: boolean;
}>;

/** The human-readable list of what in `desired` falls outside `support`, each named once. */
export function unsupportedBy(desired: DesiredLoadBalancer, support: OptionSupport): Set<string> {
  const found = new Set<string>();
  for (const listener of desired.listeners) {
    if (!support.listenerProtocols.has(listener.protocol))
      found.add(`listener protocol ${listener.protocol}`);
    // A PROMETHEUS listener given certificates serves its metrics over TLS (Octavia 2.25): no provider does yet.
    else if (
      listener.protocol === 'PROMETHEUS' &&
      (listener.tls.defaultContainerRef !== null || listener.tls.sniContainerRefs.length > 0)
    )
      found.add('listener protocol PROMETHEUS with TLS');
    for (const [name, value] of Object.entries(listener.insertHeaders)) {
      // Only a "true" value asks for anything (reference §4.3); X-SSL-* need TLS termination.
      if (value.toLowerCase() === 'true' && !support.insertHeaders.has(name.toLowerCase())) {
        found.add(`insert_headers ${name}`);
      }
    }
    for (const policy of listener.l7policies) {
      if (support.l7OnlyOnHttp && listener.protocol !== 'HTTP') {
        found.add(`L7 policies on a ${listener.protocol} listener`);
      }
      for (const rule of policy.rules) {
        if (!support.ruleTypes.has(rule.type)) found.add(`L7 rule type ${rule.type}`);
      }
    }
  }
  for (const pool of desired.pools) {
    if (!support.poolProtocols.has(pool.protocol)) found.add(`pool protocol ${pool.protocol}`);
    if (!support.algorithms.has(pool.lbAlgorithm)) found.add(`lb_algorithm ${pool.lbAlgorithm}`);
    if (pool.tls.enabled) found.add('pool tls_enabled (re-encryption to members)');
    const persistence = pool.sessionPersistence;
    if (persistence && !support.persistence.has(persistence.type)) {
      found.add(`session_persistence type ${persistence.type}`);
    }
    if (pool.healthMonitor && support.monitors && !support.monitors.has(pool.healthMonitor.type)) {
      found.add(`health monitor type ${pool.healthMonitor.type}`);
    }
  }
  return found;
}
