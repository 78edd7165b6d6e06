// The health monitor as the domain sees it (camelCase), its defaults and Octavia's semantic checks of monitor
// requests against the pool protocol (reference §7). The wire mapping lives in api/octavia/health-monitors/wire.ts.
import { isUdpOrSctp } from './pool.ts';
import { type Violation, validation } from './pool-validation.ts';
import type { OperatingStatus, ProvisioningStatus } from './statuses.ts';

export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'TRACE', 'OPTIONS', 'CONNECT', 'PATCH'];
export const HTTP_VERSIONS = [1.0, 1.1] as const;
export const MIN_RETRIES = 1;
export const MAX_RETRIES = 10;
export const DEFAULT_MAX_RETRIES_DOWN = 3;
/** Defaults of HTTP and HTTPS monitors (constants.HEALTH_MONITOR_*_DEFAULT_*). */
export const HTTP_DEFAULTS = { httpMethod: 'GET', urlPath: '/', expectedCodes: '200' } as const;
/** `[api_settings] udp_connect_min_interval_health_monitor` default (negative = no minimum). */
export const UDP_CONNECT_MIN_INTERVAL = 3;

export type HealthMonitor = Readonly<{
  id: string;
  projectId: string;
  loadBalancerId: string;
  poolId: string;
  name: string | null;
  adminStateUp: boolean;
  provisioningStatus: ProvisioningStatus;
  operatingStatus: OperatingStatus;
  type: string;
  delay: number;
  timeout: number;
  maxRetries: number;
  maxRetriesDown: number;
  httpMethod: string | null;
  urlPath: string | null;
  expectedCodes: string | null;
  httpVersion: number | null;
  domainName: string | null;
  tags: readonly string[];
  createdAt: string;
  updatedAt: string | null;
}>;

export type NewHealthMonitor = Omit<HealthMonitor, 'createdAt' | 'updatedAt'>;

export type HealthMonitorChanges = Partial<
  Pick<
    HealthMonitor,
    | 'name'
    | 'adminStateUp'
    | 'delay'
    | 'timeout'
    | 'maxRetries'
    | 'maxRetriesDown'
    | 'httpMethod'
    | 'urlPath'
    | 'expectedCodes'
    | 'httpVersion'
    | 'domainName'
    | 'tags'
  >
>;

/** The checked fields as a request carries them (undefined = absent, null = explicit null). */
export type HealthMonitorInput = Readonly<{
  type?: string | null;
  delay?: number | null;
  timeout?: number | null;
  maxRetries?: number | null;
  httpMethod?: string | null;
  urlPath?: string | null;
  expectedCodes?: string | null;
  httpVersion?: number | null;
  domainName?: string | null;
}>;

const isHttp = (type: string | null | undefined) => type === 'HTTP' || type === 'HTTPS';
const HTTP_FIELDS = [
  ['httpMethod', 'http_method'],
  ['urlPath', 'url_path'],
  ['expectedCodes', 'expected_codes'],
] as const;

/** Python's `'%s' % float`: 1 → `1.0`. */
const pyFloat = (n: number): string => (Number.isInteger(n) ? `${n}.0` : String(n));

/**
 * POST checks in Octavia's order (health_monitor.py `post` then `_validate_create_hm`): type against the pool
 * protocol, UDP-CONNECT minimum delay, null mandatory fields, HTTP-only fields, domain_name/http_version.
 */
export function checkHealthMonitorCreate(
  poolProtocol: string,
  hm: HealthMonitorInput,
  minUdpConnectDelay = UDP_CONNECT_MIN_INTERVAL,
): Violation | undefined {
  const typeProblem = checkTypeForPool(poolProtocol, hm.type ?? null, hm.delay, minUdpConnectDelay);
  if (typeProblem) return typeProblem;
  for (const field of ['type', 'delay', 'timeout'] as const) {
    if (hm[field] === null || hm[field] === undefined)
      return { kind: 'invalid-option', value: 'None', option: field };
  }
  if (hm.maxRetries === null || hm.maxRetries === undefined)
    return { kind: 'invalid-option', value: 'None', option: 'max_retries' };
  if (!isHttp(hm.type)) {
    for (const [key, wire] of HTTP_FIELDS) {
      if (hm[key])
        return { kind: 'invalid-option', value: wire, option: `health monitors of type ${hm.type}` };
    }
  }
  return checkDomainName(hm.domainName, hm.httpVersion);
}

/** PUT checks (`_validate_update_hm` and the UDP/SCTP re-check) against the stored monitor. */
export function checkHealthMonitorUpdate(
  poolProtocol: string,
  stored: Pick<HealthMonitor, 'type' | 'httpVersion' | 'domainName'>,
  hm: HealthMonitorInput,
  minUdpConnectDelay = UDP_CONNECT_MIN_INTERVAL,
): Violation | undefined {
  if (!isHttp(stored.type)) {
    // Any mention, even null, is refused for non-HTTP types (reference §7).
    for (const [key, wire] of HTTP_FIELDS) {
      if (hm[key] !== undefined)
        return { kind: 'invalid-option', value: wire, option: `health monitors of type ${stored.type}` };
    }
  }
  for (const [key, wire] of [
    ['delay', 'delay'],
    ['maxRetries', 'max_retries'],
    ['timeout', 'timeout'],
  ] as const) {
    if (hm[key] === null) return { kind: 'invalid-option', value: 'None', option: wire };
  }
  if (hm.domainName && !(stored.httpVersion || hm.httpVersion)) return domainNeedsVersion();
  if ((stored.httpVersion || hm.httpVersion) && (stored.domainName || hm.domainName)) {
    const version = hm.httpVersion || stored.httpVersion || 0;
    if (version < 1.1) return domainNeedsHttp11(version);
  }
  return checkTypeForPool(poolProtocol, stored.type, hm.delay, minUdpConnectDelay);
}

/** Type/pool compatibility (reference §7 table) and the UDP-CONNECT minimum delay. */
function checkTypeForPool(
  poolProtocol: string,
  type: string | null,
  delay: number | null | undefined,
  minDelay: number,
): Violation | undefined {
  if (isUdpOrSctp(poolProtocol)) {
    if (!['UDP-CONNECT', 'SCTP', 'TCP', 'HTTP'].includes(type ?? '')) {
      return validation(
        `The associated pool protocol is ${poolProtocol}, so only a UDP-CONNECT/SCTP/TCP/HTTP health ` +
          'monitor is supported.',
      );
    }
    if (type === 'UDP-CONNECT' && typeof delay === 'number' && minDelay >= 0 && delay < minDelay) {
      return validation(
        `The request delay value ${delay} should be larger than ${minDelay} for UDP-CONNECT health ` +
          'monitor type.',
      );
    }
  } else if (type === 'UDP-CONNECT' || type === 'SCTP') {
    return validation(`The ${type} type is only supported for pools of type UDP/SCTP.`);
  }
  return undefined;
}

function checkDomainName(
  domainName: string | null | undefined,
  httpVersion: number | null | undefined,
): Violation | undefined {
  if (domainName && !httpVersion) return domainNeedsVersion();
  if (httpVersion && domainName && httpVersion < 1.1) return domainNeedsHttp11(httpVersion);
  return undefined;
}

const domainNeedsVersion = () =>
  validation("'http_version' must be specified when 'domain_name' is provided.");
const domainNeedsHttp11 = (version: number): Violation => ({
  kind: 'invalid-option',
  value: `http_version ${pyFloat(version)}`,
  option: 'health monitors HTTP 1.1 domain name health check',
});

/** HTTP/HTTPS monitors get GET, `/` and `200` where the request left them empty (`_validate_create_hm`). */
export function withHttpDefaults<T extends HealthMonitorInput>(hm: T): T {
  if (!isHttp(hm.type)) return hm;
  return {
    ...hm,
    httpMethod: hm.httpMethod || HTTP_DEFAULTS.httpMethod,
    urlPath: hm.urlPath || HTTP_DEFAULTS.urlPath,
    expectedCodes: hm.expectedCodes || HTTP_DEFAULTS.expectedCodes,
  };
}

/**
 * `validate.url_path`: starts with `/`, and carries no scheme, userinfo, host or port. Whitespace is not a
 * valid URI character either (rfc3986 rejects it), so it is refused too.
 */
export function isValidUrlPath(path: string): boolean {
  if (!path.startsWith('/') || path.startsWith('//')) return false;
  return /^[A-Za-z0-9\-._~!$&'()*+,;=:@/?#%[\]]*$/.test(path);
}
