// The pool as the domain sees it (camelCase), its vocabularies and the TLS defaults Octavia applies to pools
// that re-encrypt to their members (reference §5, §5.1). The wire mapping lives in api/octavia/pools/wire.ts.
import { DEFAULT_ALPN_PROTOCOLS, DEFAULT_TLS_VERSIONS } from './desired-state.ts';
import type { OperatingStatus, ProvisioningStatus } from './statuses.ts';

export const LbAlgorithm = {
  ROUND_ROBIN: 'ROUND_ROBIN',
  LEAST_CONNECTIONS: 'LEAST_CONNECTIONS',
  SOURCE_IP: 'SOURCE_IP',
  SOURCE_IP_PORT: 'SOURCE_IP_PORT',
} as const;
export type LbAlgorithm = (typeof LbAlgorithm)[keyof typeof LbAlgorithm];

export const SessionPersistenceType = {
  SOURCE_IP: 'SOURCE_IP',
  HTTP_COOKIE: 'HTTP_COOKIE',
  APP_COOKIE: 'APP_COOKIE',
} as const;
export type SessionPersistenceType = (typeof SessionPersistenceType)[keyof typeof SessionPersistenceType];

/** Every TLS version Octavia knows (constants.TLS_ALL_VERSIONS). */
export const TLS_ALL_VERSIONS = ['SSLv3', 'TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const;
/** ALPN protocol ids the amphora supports (reference §4.1). */
export const ALPN_PROTOCOLS = ['h2', 'http/1.1', 'http/1.0'] as const;

/** `[api_settings] default_pool_ciphers`: the same intermediate list as listeners (Octavia 17.0.0). */
export const DEFAULT_POOL_CIPHERS =
  'TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:' +
  'ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:' +
  'ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:' +
  'DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:DHE-RSA-CHACHA20-POLY1305';
export const DEFAULT_POOL_TLS_VERSIONS: readonly string[] = DEFAULT_TLS_VERSIONS;
export const DEFAULT_POOL_ALPN_PROTOCOLS: readonly string[] = DEFAULT_ALPN_PROTOCOLS;

export type SessionPersistence = Readonly<{
  type: SessionPersistenceType;
  cookieName: string | null;
  persistenceTimeout: number | null;
  persistenceGranularity: string | null;
}>;

export type Pool = Readonly<{
  id: string;
  projectId: string;
  loadBalancerId: string;
  name: string | null;
  description: string | null;
  adminStateUp: boolean;
  provisioningStatus: ProvisioningStatus;
  operatingStatus: OperatingStatus;
  protocol: string;
  lbAlgorithm: string;
  sessionPersistence: SessionPersistence | null;
  tlsEnabled: boolean;
  tlsContainerRef: string | null;
  caTlsContainerRef: string | null;
  crlContainerRef: string | null;
  tlsCiphers: string | null;
  /** null: not set (rendered null; the provider then uses the defaults when TLS is enabled) */
  tlsVersions: readonly string[] | null;
  alpnProtocols: readonly string[] | null;
  tags: readonly string[];
  createdAt: string;
  updatedAt: string | null;
  /** listeners using the pool as default pool or through an L7 redirect (reference §5) */
  listenerIds: readonly string[];
  memberIds: readonly string[];
  healthMonitorId: string | null;
}>;

/** What a create stores: everything but timestamps and the references other rows hold. */
export type NewPool = Omit<Pool, 'createdAt' | 'updatedAt' | 'listenerIds' | 'memberIds' | 'healthMonitorId'>;

/** The fields a PUT may change (reference §5; protocol and parents are immutable). */
export type PoolChanges = Partial<
  Pick<
    Pool,
    | 'name'
    | 'description'
    | 'adminStateUp'
    | 'lbAlgorithm'
    | 'sessionPersistence'
    | 'tlsEnabled'
    | 'tlsContainerRef'
    | 'caTlsContainerRef'
    | 'crlContainerRef'
    | 'tlsCiphers'
    | 'tlsVersions'
    | 'alpnProtocols'
    | 'tags'
  >
>;

export const isUdpOrSctp = (protocol: string): boolean => protocol === 'UDP' || protocol === 'SCTP';
