// DesiredLoadBalancer: the plain, fully resolved document a provider applies (architecture §2). It carries
// everything a data plane needs and nothing it must look up; objects pending deletion are already left out
// (reference §12.3), and so are disabled ones' children only where the data plane must skip them itself.

import type { Hsts, ListenerTlsMaterial, PoolTlsMaterial } from './tls-material.ts';

export type Topology = 'SINGLE' | 'ACTIVE_STANDBY';

export type DesiredLoadBalancer = Readonly<{
  id: string;
  /** monotonically increasing; a provider reports which revision it applied */
  revision: number;
  adminStateUp: boolean;
  topology: Topology;
  vip: Readonly<{
    address: string;
    networkId: string;
    subnetId: string;
    portId: string;
    /** every further address the load balancer answers on (additional VIPs) */
    additional: readonly Readonly<{ address: string; subnetId: string }>[];
  }>;
  listeners: readonly DesiredListener[];
  pools: readonly DesiredPool[];
}>;

export type DesiredListener = Readonly<{
  id: string;
  protocol: string;
  protocolPort: number;
  adminStateUp: boolean;
  /** -1 = unlimited */
  connectionLimit: number;
  defaultPoolId: string | null;
  /** milliseconds (reference §4.1) */
  timeouts: Readonly<{ clientData: number; memberConnect: number; memberData: number; tcpInspect: number }>;
  insertHeaders: Readonly<Record<string, string>>;
  /**
   * The client sources admitted: null admits every source (no allowed_cidrs), a list only those, so an empty
   * list admits nobody (VIP security groups without a matching rule, security-group-sources.ts).
   */
  allowedCidrs: readonly string[] | null;
  tls: Readonly<{
    defaultContainerRef: string | null;
    sniContainerRefs: readonly string[];
    clientCaContainerRef: string | null;
    clientAuthentication: string;
    clientCrlContainerRef: string | null;
    ciphers: string | null;
    versions: readonly string[];
    alpnProtocols: readonly string[];
    /** resolved certificates for TERMINATED_HTTPS (null for every other protocol) */
    material: ListenerTlsMaterial | null;
    /** the Strict-Transport-Security header to add to responses (TERMINATED_HTTPS with hsts_max_age set) */
    hsts: Hsts | null;
  }>;
  /** in position order */
  l7policies: readonly DesiredL7Policy[];
}>;

export type DesiredL7Policy = Readonly<{
  id: string;
  action: string;
  position: number;
  adminStateUp: boolean;
  redirectPoolId: string | null;
  redirectUrl: string | null;
  redirectPrefix: string | null;
  redirectHttpCode: number | null;
  rules: readonly DesiredL7Rule[];
}>;

export type DesiredL7Rule = Readonly<{
  id: string;
  type: string;
  compareType: string;
  key: string | null;
  value: string;
  invert: boolean;
  adminStateUp: boolean;
}>;

export type DesiredPool = Readonly<{
  id: string;
  protocol: string;
  lbAlgorithm: string;
  adminStateUp: boolean;
  sessionPersistence: Readonly<{
    type: string;
    cookieName: string | null;
    persistenceTimeout: number | null;
    persistenceGranularity: string | null;
  }> | null;
  tls: Readonly<{
    enabled: boolean;
    containerRef: string | null;
    caContainerRef: string | null;
    crlContainerRef: string | null;
    ciphers: string | null;
    versions: readonly string[];
    alpnProtocols: readonly string[];
    /** resolved certificates when `enabled` (re-encryption to members); null otherwise */
    material: PoolTlsMaterial | null;
  }>;
  members: readonly DesiredMember[];
  healthMonitor: DesiredHealthMonitor | null;
}>;

export type DesiredMember = Readonly<{
  id: string;
  address: string;
  protocolPort: number;
  weight: number;
  backup: boolean;
  adminStateUp: boolean;
  monitorAddress: string | null;
  monitorPort: number | null;
  subnetId: string | null;
}>;

export type DesiredHealthMonitor = Readonly<{
  id: string;
  type: string;
  /** seconds */
  delay: number;
  timeout: number;
  maxRetries: number;
  maxRetriesDown: number;
  httpMethod: string | null;
  urlPath: string | null;
  expectedCodes: string | null;
  httpVersion: number | null;
  domainName: string | null;
  adminStateUp: boolean;
}>;

/** Listener timeouts when the API stored none (Octavia's `[haproxy_amphora]` defaults, reference §4.1). */
export const DEFAULT_TIMEOUTS = {
  clientData: 50000,
  memberConnect: 5000,
  memberData: 50000,
  tcpInspect: 0,
} as const;
export const DEFAULT_TLS_VERSIONS = ['TLSv1.2', 'TLSv1.3'] as const;
export const DEFAULT_ALPN_PROTOCOLS = ['h2', 'http/1.1', 'http/1.0'] as const;
