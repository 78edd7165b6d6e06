// The options of the control-plane commands (`serve`, `api`, `controller`), each declared once with its flag,
// environment variable and help, and the commands it belongs to: the command line registers them, loadConfig
// reads them (flag over env over default). Free of imports but types, so the entry point stays light.
import { MAX_REQUEST_BODY_SIZE_OPTION } from './request-limit-options.ts';
import { type OptionSpec, TLS_POLICY_OPTIONS } from './tls-policy-options.ts';

export type ServerRole = 'serve' | 'api' | 'controller';

export type ServerOption = OptionSpec & Readonly<{ roles: readonly ServerRole[] }>;

const ALL = ['serve', 'api', 'controller'] as const;
const API = ['serve', 'api'] as const;
const SERVE = ['serve'] as const;

const NATIVE_WORKERS_HELP =
  "worker processes of the native data plane (they outlive the agent, which adopts them): 1 to 64, or 'auto' for one per CPU; each load balancer lives in one (env SLUICE_NATIVE_WORKERS, default 1)";
const CONNECTION_LOGGING_HELP =
  "an access log line per HTTP request and TCP connection on both data planes, Octavia's [haproxy_amphora] connection_logging: on or off (env SLUICE_CONNECTION_LOGGING, default on)";
const VRRP_HELP =
  'hold the VIPs of ACTIVE_STANDBY load balancers with keepalived (docs/ha.md): auto (when keepalived runs, the agent is root and an --interface-mapping is given), on (a missing one is a start error) or off (env SLUICE_VRRP, default auto)';

/** Shared with `sluice agent`, which takes the same two options for itself. */
export const AGENT_DATA_PLANE_OPTIONS = {
  nativeWorkers: {
    flag: '--native-workers <n>',
    key: 'nativeWorkers',
    env: 'SLUICE_NATIVE_WORKERS',
    help: NATIVE_WORKERS_HELP,
  },
  vrrp: { flag: '--vrrp <mode>', key: 'vrrp', env: 'SLUICE_VRRP', help: VRRP_HELP },
  connectionLogging: {
    flag: '--connection-logging <on|off>',
    key: 'connectionLogging',
    env: 'SLUICE_CONNECTION_LOGGING',
    help: CONNECTION_LOGGING_HELP,
  },
} as const satisfies Record<string, OptionSpec>;

export const SERVER_OPTIONS = {
  listen: {
    flag: '--listen <host:port>',
    key: 'listen',
    env: 'SLUICE_LISTEN',
    help: 'where the API listens (env SLUICE_LISTEN, default 127.0.0.1:9876)',
    roles: API,
  },
  dataDir: {
    flag: '--data-dir <dir>',
    key: 'dataDir',
    env: 'SLUICE_DATA_DIR',
    help: 'state directory: the SQLite file, the secret store key file unless SLUICE_SECRET_STORE_KEY is set (env SLUICE_DATA_DIR, default ./sluice-data)',
    roles: ALL,
  },
  databaseUrl: {
    flag: '--database-url <url>',
    key: 'databaseUrl',
    env: 'SLUICE_DATABASE_URL',
    help: 'sqlite:<file> or postgres://…; several api and controller processes share one PostgreSQL (env SLUICE_DATABASE_URL, default SQLite in the data dir)',
    roles: ALL,
  },
  provider: {
    flag: '--provider <name>',
    key: 'provider',
    env: 'SLUICE_PROVIDER',
    help: 'default provider for new load balancers (env SLUICE_PROVIDER, default native)',
    roles: API,
  },
  amphoraProvider: {
    flag: '--amphora-provider <name>',
    key: 'amphoraProvider',
    env: 'SLUICE_AMPHORA_PROVIDER',
    help: "the provider serving load balancers asked for as 'amphora' or 'octavia', Octavia's names (env SLUICE_AMPHORA_PROVIDER, default the default provider)",
    roles: API,
  },
  rbac: {
    flag: '--rbac <policy>',
    key: 'rbac',
    env: 'SLUICE_RBAC',
    help: "Octavia RBAC policy: advanced (the load-balancer_* roles) or keystone-default (Keystone's reader/member/admin/service roles, Octavia's default since 2025.1; env SLUICE_RBAC, default advanced)",
    roles: API,
  },
  networkDriver: {
    flag: '--network-driver <driver>',
    key: 'networkDriver',
    env: 'SLUICE_NETWORK_DRIVER',
    help: 'neutron (VIPs are ports on Sluice networks) or noop (ids accepted without lookup; env SLUICE_NETWORK_DRIVER, default neutron)',
    roles: API,
  },
  publicUrl: {
    flag: '--public-url <url>',
    key: 'publicUrl',
    env: 'SLUICE_PUBLIC_URL',
    help: 'base URL written into the service catalog (env SLUICE_PUBLIC_URL, default http://<listen>)',
    roles: API,
  },
  tokenTtl: {
    flag: '--token-ttl <seconds>',
    key: 'tokenTtl',
    env: 'SLUICE_TOKEN_TTL',
    help: 'lifetime of issued tokens (env SLUICE_TOKEN_TTL, default 3600)',
    roles: API,
  },
  logLevel: {
    flag: '--log-level <level>',
    key: 'logLevel',
    env: 'SLUICE_LOG_LEVEL',
    help: 'pino log level (env SLUICE_LOG_LEVEL, default info)',
    roles: ALL,
  },
  agent: {
    flag: '--agent <mode>',
    key: 'agent',
    env: 'SLUICE_AGENT',
    help: 'local: run and supervise an agent child process; none: agents run elsewhere (env SLUICE_AGENT, default local)',
    roles: SERVE,
  },
  heartbeatTimeout: {
    flag: '--heartbeat-timeout <ms>',
    key: 'heartbeatTimeout',
    env: 'SLUICE_HEARTBEAT_TIMEOUT_MS',
    help: 'silence after which an agent is DOWN and its load balancers move (env SLUICE_HEARTBEAT_TIMEOUT_MS, default 2500)',
    roles: ALL,
  },
  denylistVipNetworks: {
    flag: '--denylist-vip-networks <ids>',
    key: 'denylistVipNetworks',
    env: 'SLUICE_DENYLIST_VIP_NETWORKS',
    help: "comma-separated network ids no VIP may be on, Octavia's denylist_vip_networks (env SLUICE_DENYLIST_VIP_NETWORKS)",
    roles: API,
  },
  nativeWorkers: {
    ...AGENT_DATA_PLANE_OPTIONS.nativeWorkers,
    help: `${NATIVE_WORKERS_HELP}, for the local agent`,
    roles: SERVE,
  },
  vrrp: { ...AGENT_DATA_PLANE_OPTIONS.vrrp, help: `${VRRP_HELP}, for the local agent`, roles: SERVE },
  connectionLogging: {
    ...AGENT_DATA_PLANE_OPTIONS.connectionLogging,
    help: `${CONNECTION_LOGGING_HELP}, for the local agent`,
    roles: SERVE,
  },
  tlsCipherProhibitList: { ...TLS_POLICY_OPTIONS.cipherProhibitList, roles: API },
  minimumTlsVersion: { ...TLS_POLICY_OPTIONS.minimumTlsVersion, roles: API },
  allowTlsTerminatedListeners: { ...TLS_POLICY_OPTIONS.allowTlsTerminatedListeners, roles: API },
  maxRequestBodySize: { ...MAX_REQUEST_BODY_SIZE_OPTION, roles: API },
  metricsAllowedCidrs: {
    flag: '--metrics-allowed-cidrs <cidrs>',
    key: 'metricsAllowedCidrs',
    env: 'SLUICE_METRICS_ALLOWED_CIDRS',
    help: 'comma-separated CIDRs whose clients may scrape GET /metrics, which names every load balancer and its traffic (env SLUICE_METRICS_ALLOWED_CIDRS, default 127.0.0.0/8,::1/128)',
    roles: API,
  },
} as const satisfies Record<string, ServerOption>;
