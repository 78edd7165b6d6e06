// The listener as the domain sees it (camelCase) and its vocabularies: insertable headers, TLS versions,
// ALPN protocols, client-auth modes, defaults and ranges (reference §4.1, §4.3). The rules that combine
// them are in listener-rules.ts.
import type { CertificateFacts } from './certificate-facts.ts';
import type { OperatingStatus, ProvisioningStatus } from './statuses.ts';

export type Listener = Readonly<{
  id: string;
  projectId: string;
  loadBalancerId: string;
  name: string | null;
  description: string | null;
  adminStateUp: boolean;
  provisioningStatus: ProvisioningStatus;
  operatingStatus: OperatingStatus;
  protocol: string;
  protocolPort: number;
  /** -1 = unlimited */
  connectionLimit: number;
  defaultPoolId: string | null;
  defaultTlsContainerRef: string | null;
  sniContainerRefs: readonly string[];
  insertHeaders: Readonly<Record<string, string>> | null;
  timeoutClientData: number;
  timeoutMemberConnect: number;
  timeoutMemberData: number;
  timeoutTcpInspect: number;
  clientCaTlsContainerRef: string | null;
  clientAuthentication: string;
  clientCrlContainerRef: string | null;
  /** normalized CIDRs; empty = every source allowed */
  allowedCidrs: readonly string[];
  tlsCiphers: string | null;
  tlsVersions: readonly string[] | null;
  alpnProtocols: readonly string[] | null;
  /** HSTS (API 2.27): seconds, or null when off */
  hstsMaxAge: number | null;
  hstsIncludeSubdomains: boolean;
  hstsPreload: boolean;
  /** facts of the server certificates, recorded when the refs were checked; null: not recorded (yet) */
  tlsCertificates: readonly CertificateFacts[] | null;
  tags: readonly string[];
  createdAt: string;
  updatedAt: string | null;
  /** the listener's L7 policies, in position order */
  l7PolicyIds: readonly string[];
}>;

/** What a create stores, once validated and defaulted (everything the client may choose). */
export type ListenerSpec = Omit<
  Listener,
  | 'id'
  | 'projectId'
  | 'loadBalancerId'
  | 'provisioningStatus'
  | 'operatingStatus'
  | 'createdAt'
  | 'updatedAt'
  | 'l7PolicyIds'
  | 'tlsCertificates'
>;

/** The fields a PUT may change (reference §4.4): all but protocol and port. */
export type ListenerChanges = Partial<Omit<ListenerSpec, 'protocol' | 'protocolPort'>>;

export const ClientAuthentication = { NONE: 'NONE', OPTIONAL: 'OPTIONAL', MANDATORY: 'MANDATORY' } as const;
export const CLIENT_AUTH_MODES: readonly string[] = Object.values(ClientAuthentication);

/** octavia-lib 3.1.0 SUPPORTED_HTTP_HEADERS and SUPPORTED_SSL_HEADERS (reference §4.3). */
export const HTTP_HEADERS: readonly string[] = ['X-Forwarded-For', 'X-Forwarded-Port', 'X-Forwarded-Proto'];
export const SSL_HEADERS: readonly string[] = [
  'X-SSL-Client-Verify',
  'X-SSL-Client-Has-Cert',
  'X-SSL-Client-DN',
  'X-SSL-Client-CN',
  'X-SSL-Issuer',
  'X-SSL-Client-SHA1',
  'X-SSL-Client-Not-Before',
  'X-SSL-Client-Not-After',
];
/** Listener protocols that may insert headers (LISTENER_PROTOCOLS_SUPPORTING_HEADER_INSERTION). */
export const HEADER_INSERTING_PROTOCOLS: readonly string[] = ['HTTP', 'TERMINATED_HTTPS'];

export const TLS_VERSIONS: readonly string[] = ['SSLv3', 'TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];
export const ALPN_PROTOCOLS: readonly string[] = ['h2', 'http/1.1', 'http/1.0'];

/**
 * `[api_settings] default_listener_ciphers`: Mozilla's "intermediate" list, Octavia's default since 17.0.0
 * (octavia/common/constants.py CIPHERS_OWASP_SUITE_B, releasenotes/notes/Updated-default-TLS-cipher-suites-*).
 */
export const DEFAULT_LISTENER_CIPHERS =
  'TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:' +
  'ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:' +
  'ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:' +
  'DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:DHE-RSA-CHACHA20-POLY1305';

export const MIN_TIMEOUT = 0;
export const MAX_TIMEOUT = 2_073_600_000;
export const MIN_CONNECTION_LIMIT = -1;
export const DEFAULT_CONNECTION_LIMIT = -1;

/** Only TERMINATED_HTTPS listeners get the TLS defaults (ciphers, versions, ALPN) when none are given. */
export const getsTlsDefaults = (protocol: string): boolean => protocol === 'TERMINATED_HTTPS';
