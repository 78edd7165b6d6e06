// Protocol vocabularies and the compatibility rules between listeners, pools and health monitors
// (reference §4.2, §7). Pure data and predicates, shared by every resource that checks them.

export const ListenerProtocol = {
  TCP: 'TCP',
  HTTP: 'HTTP',
  HTTPS: 'HTTPS',
  TERMINATED_HTTPS: 'TERMINATED_HTTPS',
  UDP: 'UDP',
  SCTP: 'SCTP',
  PROMETHEUS: 'PROMETHEUS',
} as const;
export type ListenerProtocol = (typeof ListenerProtocol)[keyof typeof ListenerProtocol];

export const PoolProtocol = {
  TCP: 'TCP',
  HTTP: 'HTTP',
  HTTPS: 'HTTPS',
  PROXY: 'PROXY',
  PROXYV2: 'PROXYV2',
  UDP: 'UDP',
  SCTP: 'SCTP',
} as const;
export type PoolProtocol = (typeof PoolProtocol)[keyof typeof PoolProtocol];

export const HealthMonitorType = {
  HTTP: 'HTTP',
  HTTPS: 'HTTPS',
  PING: 'PING',
  TCP: 'TCP',
  'TLS-HELLO': 'TLS-HELLO',
  'UDP-CONNECT': 'UDP-CONNECT',
  SCTP: 'SCTP',
} as const;
export type HealthMonitorType = (typeof HealthMonitorType)[keyof typeof HealthMonitorType];

/** Which pool protocols a listener of each protocol may use (reference §4.2). */
export const POOLS_ALLOWED: Readonly<Record<ListenerProtocol, readonly PoolProtocol[]>> = {
  TCP: ['HTTP', 'HTTPS', 'PROXY', 'PROXYV2', 'TCP'],
  HTTP: ['HTTP', 'PROXY', 'PROXYV2'],
  HTTPS: ['HTTPS', 'PROXY', 'PROXYV2', 'TCP'],
  TERMINATED_HTTPS: ['HTTP', 'PROXY', 'PROXYV2'],
  UDP: ['UDP'],
  SCTP: ['SCTP'],
  PROMETHEUS: [],
};

export const isPoolCompatible = (listener: string, pool: string): boolean =>
  (POOLS_ALLOWED[listener as ListenerProtocol] ?? []).includes(pool as PoolProtocol);

/** The message Octavia answers with for an incompatible pair (400). */
export const poolProtocolMismatch = (pool: string, listener: string): string =>
  `The pool protocol '${pool}' is invalid while the listener protocol is '${listener}'.`;

/**
 * The port space a listener protocol occupies on its load balancer: TCP, HTTP, HTTPS, TERMINATED_HTTPS
 * and PROMETHEUS share the TCP ports; UDP and SCTP have their own (reference §4.2).
 */
export function portSpace(protocol: string): 'TCP' | 'UDP' | 'SCTP' {
  if (protocol === 'UDP') return 'UDP';
  if (protocol === 'SCTP') return 'SCTP';
  return 'TCP';
}

/** Health monitor types each pool protocol accepts (reference §7, pool/HM table). */
export function isMonitorCompatible(poolProtocol: string, monitorType: string): boolean {
  if (poolProtocol === 'UDP' || poolProtocol === 'SCTP') {
    return ['HTTP', 'SCTP', 'TCP', 'UDP-CONNECT'].includes(monitorType);
  }
  return ['HTTP', 'HTTPS', 'PING', 'TCP', 'TLS-HELLO'].includes(monitorType);
}
