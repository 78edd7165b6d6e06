// Process configuration: one schema; command-line flags win over SLUICE_* environment variables, which win
// over defaults. The result is frozen at start and passed down explicitly (no global reads elsewhere).
import os from 'node:os';
import path from 'node:path';
import { normalizeCidr } from '../model/ipam.ts';
import { TLS_ALL_VERSIONS } from '../model/pool.ts';
import { type TlsPolicy, tlsPolicyStartupProblem } from '../model/tls-policy.ts';
import { DEFAULT_MAX_REQUEST_BODY_SIZE } from './request-limit-options.ts';
import { SERVER_OPTIONS as O } from './server-options.ts';
import type { OptionSpec } from './tls-policy-options.ts';

export type SluiceConfig = Readonly<{
  listenHost: string;
  listenPort: number;
  dataDir: string;
  /** `sqlite:<file>` or `postgres://…` */
  databaseUrl: string;
  defaultProvider: string;
  /** the provider that serves load balancers asked for as `amphora` or `octavia` (docs/providers.md) */
  amphoraProvider: string;
  /** `neutron`: VIPs and member subnets are real ports/subnets; `noop`: ids are accepted without lookup. */
  networkDriver: NetworkDriver;
  /** Base URL written into the service catalog; defaults to http://<listen>. */
  publicUrl: string;
  tokenTtlSeconds: number;
  /** From SLUICE_ADMIN_PASSWORD only, never a flag (flags show up in `ps`). */
  adminPassword: string | undefined;
  /**
   * From SLUICE_SECRET_STORE_KEY only (base64 of 32 bytes): the key sealing secret payloads; unset, the key
   * is the file secret-store.key in the data directory (src/store/secret-store-key.ts).
   */
  secretStoreKey?: string;
  logLevel: string;
  /** `local`: `sluice serve` runs and supervises an agent child process; `none`: agents run elsewhere. */
  agent: LocalAgentMode;
  /** how often agents report (heartbeat), and how long silence lasts before an agent is DOWN (ms) */
  heartbeatIntervalMs: number;
  heartbeatTimeoutMs: number;
  /** data-plane processes of the local agent's native provider (1: in the agent process itself) */
  nativeWorkers: number;
  /** whether the local agent runs keepalived for ACTIVE_STANDBY (`--vrrp`, parseVrrpMode) */
  vrrp: VrrpMode;
  /** whether the local agent's data planes write access log lines (`--connection-logging`) */
  connectionLogging: boolean;
  /** Octavia's `[networking] denylist_vip_networks`: network ids a VIP may not be on (empty: none denied) */
  denylistVipNetworks: readonly string[];
  /** which Octavia RBAC policy the load-balancer API enforces (`--rbac`, parseRbacPolicy) */
  rbac: RbacPolicyName;
  /** Octavia's `[api_settings]` TLS policy: prohibited ciphers, minimum version, TERMINATED_HTTPS allowed */
  tlsPolicy: TlsPolicy;
  /** the largest request body the APIs accept (bytes), oslo.middleware's max_request_body_size */
  maxRequestBodySize: number;
  /** clients allowed to scrape GET /metrics (CIDRs, normalised) */
  metricsAllowedCidrs: readonly string[];
}>;

/**
 * `--vrrp`: whether an agent holds the VIPs of its ACTIVE_STANDBY load balancers with keepalived (docs/ha.md,
 * "VRRP layout"). `auto` turns it on where it can work: keepalived runs, the agent is root, and an interface
 * is mapped to a physical network; `on` makes a missing one a start error; `off` never runs keepalived.
 */
export const VRRP_MODES = ['auto', 'on', 'off'] as const;
export type VrrpMode = (typeof VRRP_MODES)[number];

/**
 * `--rbac`: `advanced` is Octavia's load-balancer_* roles (its default until 2024.2); `keystone-default` is
 * Keystone's reader/member/admin roles, Octavia's default since 2025.1 (src/identity/policy.ts).
 */
export const RBAC_POLICIES = ['advanced', 'keystone-default'] as const;
export type RbacPolicyName = (typeof RBAC_POLICIES)[number];

export const LOCAL_AGENT_MODES = ['local', 'none'] as const;
export type LocalAgentMode = (typeof LOCAL_AGENT_MODES)[number];

export const NETWORK_DRIVERS = ['neutron', 'noop'] as const;
export type NetworkDriver = (typeof NETWORK_DRIVERS)[number];

export type ConfigFlags = Partial<{
  networkDriver: string;
  listen: string;
  dataDir: string;
  databaseUrl: string;
  provider: string;
  amphoraProvider: string;
  publicUrl: string;
  tokenTtl: string;
  logLevel: string;
  agent: string;
  heartbeatTimeout: string;
  nativeWorkers: string;
  vrrp: string;
  connectionLogging: string;
  denylistVipNetworks: string;
  rbac: string;
  tlsCipherProhibitList: string;
  minimumTlsVersion: string;
  allowTlsTerminatedListeners: string;
  maxRequestBodySize: string;
  metricsAllowedCidrs: string;
}>;

export const CONFIG_DEFAULTS = {
  listen: '127.0.0.1:9876',
  dataDir: './sluice-data',
  provider: 'native',
  tokenTtlSeconds: 3600,
  logLevel: 'info',
  // A dead host's SINGLE load balancers serve again within 5 s (docs/ha.md): death
  // is seen after at most timeout + interval (3 s), the move and VIP announcement take well under 1 s. Five
  // missed heartbeats in a row (a 2.5 s stall of an agent) are needed for a false DOWN.
  heartbeatIntervalMs: 500,
  heartbeatTimeoutMs: 2500,
} as const;

export function parseListen(value: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(value);
  const port = match ? Number(match[3]) : Number.NaN;
  if (!match || port > 65535) throw new Error(`invalid listen address '${value}': expected HOST:PORT`);
  return { host: match[1] ?? (match[2] || '127.0.0.1'), port };
}

/**
 * `--native-workers`: a whole number of processes from 1 to 64, or `auto` for one per CPU the host gives this
 * process (os.availableParallelism).
 */
export function parseNativeWorkers(value: string | undefined): number {
  if (value === undefined || value === '') return 1;
  if (value === 'auto') return os.availableParallelism();
  const workers = Number(value);
  if (!/^\d+$/.test(value) || workers < 1 || workers > 64)
    throw new Error(`native workers must be a whole number from 1 to 64 or 'auto', not '${value}'`);
  return workers;
}

/** `--vrrp` (env SLUICE_VRRP): auto, on or off; unset is auto. */
export function parseVrrpMode(value: string | undefined): VrrpMode {
  if (value === undefined || value === '') return 'auto';
  if (!(VRRP_MODES as readonly string[]).includes(value))
    throw new Error(`vrrp must be one of ${VRRP_MODES.join(', ')}, not '${value}'`);
  return value as VrrpMode;
}

/** `--connection-logging` (env SLUICE_CONNECTION_LOGGING): on or off (true and false too); unset is on. */
export function parseConnectionLogging(value: string | undefined): boolean {
  if (value === undefined || value === '' || value === 'on' || value === 'true') return true;
  if (value === 'off' || value === 'false') return false;
  throw new Error(`connection logging must be on or off, not '${value}'`);
}

/** A comma-separated list, as oslo.config reads a ListOpt: items trimmed, empty ones dropped. */
/** Comma-separated CIDRs, each normalised; a malformed one is a start error naming it. */
export function parseCidrList(value: string): string[] {
  return parseList(value).map((text) => {
    const cidr = normalizeCidr(text);
    if (cidr === undefined) throw new Error(`invalid CIDR '${text}' in --metrics-allowed-cidrs`);
    return cidr;
  });
}

export function parseList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

/** `--rbac` (env SLUICE_RBAC): advanced or keystone-default; unset is advanced, so existing clients keep working. */
export function parseRbacPolicy(value: string | undefined): RbacPolicyName {
  if (value === undefined || value === '') return 'advanced';
  if (!(RBAC_POLICIES as readonly string[]).includes(value))
    throw new Error(`rbac must be one of ${RBAC_POLICIES.join(', ')}, not '${value}'`);
  return value as RbacPolicyName;
}

/** A boolean option as oslo.config's BoolOpt reads it: true/false, yes/no, on/off, 1/0 (any case). */
export function parseBool(name: string, value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value === '') return fallback;
  const lower = value.toLowerCase();
  if (['true', 'yes', 'on', '1'].includes(lower)) return true;
  if (['false', 'no', 'off', '0'].includes(lower)) return false;
  throw new Error(`${name} must be true or false, not '${value}'`);
}

/**
 * The TLS policy from its three options (TLS_POLICY_OPTIONS); refuses a minimum or a prohibit list the
 * default TLS versions or ciphers break, with Octavia's start-up message (config.init).
 */
export function parseTlsPolicy(
  prohibitList: string | undefined,
  minimum: string | undefined,
  allowTerminated: string | undefined,
): TlsPolicy {
  if (minimum && !(TLS_ALL_VERSIONS as readonly string[]).includes(minimum))
    throw new Error(`minimum TLS version must be one of ${TLS_ALL_VERSIONS.join(', ')}, not '${minimum}'`);
  const policy: TlsPolicy = Object.freeze({
    cipherProhibitList: Object.freeze(
      (prohibitList ?? '')
        .split(/[,:]/)
        .map((cipher) => cipher.trim())
        .filter(Boolean),
    ),
    minimumTlsVersion: (minimum || null) as TlsPolicy['minimumTlsVersion'],
    allowTlsTerminatedListeners: parseBool('allow TLS terminated listeners', allowTerminated, true),
  });
  const problem = tlsPolicyStartupProblem(policy);
  if (problem) throw new Error(problem);
  return policy;
}

export function loadConfig(flags: ConfigFlags, env: NodeJS.ProcessEnv = process.env): SluiceConfig {
  const option = (spec: OptionSpec): string | undefined =>
    flags[spec.key as keyof ConfigFlags] ?? env[spec.env];
  const listen = parseListen(option(O.listen) ?? CONFIG_DEFAULTS.listen);
  const dataDir = path.resolve(option(O.dataDir) ?? CONFIG_DEFAULTS.dataDir);
  const databaseUrl = option(O.databaseUrl) ?? `sqlite:${path.join(dataDir, 'sluice.db')}`;
  const networkDriver = option(O.networkDriver) ?? 'neutron';
  if (!(NETWORK_DRIVERS as readonly string[]).includes(networkDriver)) {
    throw new Error(`network driver must be one of ${NETWORK_DRIVERS.join(', ')}, not '${networkDriver}'`);
  }
  const ttl = Number(option(O.tokenTtl) ?? CONFIG_DEFAULTS.tokenTtlSeconds);
  if (!Number.isInteger(ttl) || ttl < 60)
    throw new Error('token TTL must be an integer number of seconds ≥ 60');
  const agent = option(O.agent) ?? 'local';
  if (!(LOCAL_AGENT_MODES as readonly string[]).includes(agent)) {
    throw new Error(`agent must be one of ${LOCAL_AGENT_MODES.join(', ')}, not '${agent}'`);
  }
  const heartbeatIntervalMs = Number(env.SLUICE_HEARTBEAT_INTERVAL_MS ?? CONFIG_DEFAULTS.heartbeatIntervalMs);
  const heartbeatTimeoutMs = Number(option(O.heartbeatTimeout) ?? CONFIG_DEFAULTS.heartbeatTimeoutMs);
  if (!(heartbeatIntervalMs >= 50 && heartbeatTimeoutMs >= 2 * heartbeatIntervalMs))
    throw new Error(
      'heartbeat interval must be ≥ 50 ms and the heartbeat timeout at least twice the interval',
    );
  const hostForUrl = listen.host.includes(':') ? `[${listen.host}]` : listen.host;
  const publicHost = hostForUrl === '0.0.0.0' || hostForUrl === '[::]' ? '127.0.0.1' : hostForUrl;
  const defaultProvider = option(O.provider) ?? CONFIG_DEFAULTS.provider;
  return Object.freeze({
    listenHost: listen.host,
    listenPort: listen.port,
    dataDir,
    databaseUrl,
    defaultProvider,
    amphoraProvider: option(O.amphoraProvider) ?? defaultProvider,
    networkDriver: networkDriver as NetworkDriver,
    publicUrl: (option(O.publicUrl) ?? `http://${publicHost}:${listen.port}`).replace(/\/$/, ''),
    tokenTtlSeconds: ttl,
    adminPassword: env.SLUICE_ADMIN_PASSWORD || undefined,
    secretStoreKey: env.SLUICE_SECRET_STORE_KEY || undefined,
    logLevel: option(O.logLevel) ?? CONFIG_DEFAULTS.logLevel,
    agent: agent as LocalAgentMode,
    heartbeatIntervalMs,
    heartbeatTimeoutMs,
    nativeWorkers: parseNativeWorkers(option(O.nativeWorkers)),
    vrrp: parseVrrpMode(option(O.vrrp)),
    connectionLogging: parseConnectionLogging(option(O.connectionLogging)),
    denylistVipNetworks: Object.freeze(parseList(option(O.denylistVipNetworks))),
    rbac: parseRbacPolicy(option(O.rbac)),
    tlsPolicy: parseTlsPolicy(
      option(O.tlsCipherProhibitList),
      option(O.minimumTlsVersion),
      option(O.allowTlsTerminatedListeners),
    ),
    maxRequestBodySize: parseBodySize(option(O.maxRequestBodySize)),
    metricsAllowedCidrs: Object.freeze(parseCidrList(option(O.metricsAllowedCidrs) ?? '127.0.0.0/8,::1/128')),
  });
}

/** `--max-request-body-size`: a whole number of bytes from 1 KiB up to 64 MiB (unset: oslo.middleware's default). */
function parseBodySize(value: string | undefined): number {
  if (value === undefined) return DEFAULT_MAX_REQUEST_BODY_SIZE;
  const bytes = Number(value);
  if (!/^\d+$/.test(value.trim()) || bytes < 1024 || bytes > 64 * 1024 * 1024)
    throw new Error(
      `max request body size must be a whole number of bytes from 1024 to 67108864, not '${value}'`,
    );
  return bytes;
}
