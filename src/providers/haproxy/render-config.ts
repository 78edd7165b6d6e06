// haproxy.cfg for one load balancer as a pure function of DesiredLoadBalancer (architecture §4 "Renderers"):
// global and defaults (reference §12.1), then a frontend per served listener and a backend per pool each
// listener reaches (§12.2-12.3). Throws RenderRefusal when a tenant value cannot be written safely.
import type { DesiredListener, DesiredLoadBalancer, DesiredPool } from '../../model/desired-state.ts';
import { configWord, safeId } from './config-quoting.ts';
import { metricsBackend } from './metrics-backend.ts';
import { accessLogFrontend, accessLogGlobal, accessLogRing } from './render-access-log.ts';
import { backendName, enabledMonitor, renderBackend } from './render-backend.ts';
import { connectionLimit, listenerMode, renderFrontend } from './render-frontend.ts';
import { activePolicies } from './render-l7.ts';
import { TlsFileSet } from './tls-files.ts';

export type RenderPaths = Readonly<{
  /** admin-level stats socket of the workers (runtime API, `show stat`) */
  statsSocket: string;
  /** where `show servers state` is dumped before a reload, read back by `load-server-state-from-file` */
  serverStateFile: string;
  /** the PING monitor's external check script */
  pingScript: string;
  /** the private directory (0700) of the certificate, CA and CRL files the configuration names */
  tlsDir: string;
  /** the UNIX socket the provider answers PROMETHEUS listeners' scrapes on */
  metricsSocket: string;
}>;

export type RenderOptions = Readonly<{
  paths: RenderPaths;
  /**
   * Upper bound for the global maxconn: HAProxy refuses to start when it cannot raise its file limit to about
   * twice maxconn, so the provider passes what this host's hard limit allows. Octavia's rule otherwise.
   */
  maxConnCap?: number;
  /** the provider's UNIX socket for this load balancer's access log lines; absent = no access log */
  accessLogSocket?: string;
}>;

/** Octavia's ceiling for the global maxconn (reference §12.1). */
const MAX_GLOBAL_CONNECTIONS = 1_000_000;

export type ServedBackend = Readonly<{
  name: string;
  pool: DesiredPool;
  listener: DesiredListener;
  mode: 'http' | 'tcp';
}>;

/**
 * The backends a render contains: for each enabled listener of an enabled load balancer, its enabled default
 * pool and the enabled pools its active REDIRECT_TO_POOL policies reach (disabled objects are skipped, §12.1).
 */
export function servedBackends(desired: DesiredLoadBalancer): ServedBackend[] {
  const listeners = desired.adminStateUp ? desired.listeners.filter((l) => l.adminStateUp) : [];
  const pools = new Map<string, DesiredPool>(
    desired.pools.filter((p) => p.adminStateUp).map((p) => [p.id, p]),
  );
  const served: ServedBackend[] = [];
  for (const listener of listeners) {
    const reached = new Set<string>();
    if (listener.defaultPoolId !== null && pools.has(listener.defaultPoolId))
      reached.add(listener.defaultPoolId);
    for (const policy of activePolicies(listener.l7policies, (id) => pools.has(id))) {
      if (policy.action === 'REDIRECT_TO_POOL' && policy.redirectPoolId !== null)
        reached.add(policy.redirectPoolId);
    }
    for (const poolId of reached) {
      const pool = pools.get(poolId)!;
      served.push({ name: backendName(pool.id, listener.id), pool, listener, mode: listenerMode(listener) });
    }
  }
  return served;
}

/** A rendered configuration and the certificate files it names (base name → content, in `paths.tlsDir`). */
export type HaproxyRender = Readonly<{ config: string; files: ReadonlyMap<string, string> }>;

export function renderHaproxyConfig(desired: DesiredLoadBalancer, options: RenderOptions): string {
  return renderHaproxy(desired, options).config;
}

export function renderHaproxy(desired: DesiredLoadBalancer, options: RenderOptions): HaproxyRender {
  safeId(desired.id, 'load balancer');
  const files = new TlsFileSet(options.paths.tlsDir);
  const listeners = desired.adminStateUp ? desired.listeners.filter((l) => l.adminStateUp) : [];
  const enabledPools = new Set(desired.pools.filter((p) => p.adminStateUp).map((p) => p.id));
  const poolServed = (id: string) => enabledPools.has(id);
  const { accessLogSocket } = options;
  const frontends = listeners.map((listener) => [
    ...renderFrontend(desired, listener, poolServed, (id) => backendName(id, listener.id), files),
    ...(accessLogSocket === undefined ? [] : accessLogFrontend(listener)),
  ]);
  const sourceKey = desired.vip.address.includes(':') ? 'ipv6' : 'ip';
  const served = servedBackends(desired);
  const backends = served.map(({ pool, listener, mode }) =>
    renderBackend(pool, listener, {
      mode,
      connectionLimit: connectionLimit(listener),
      sourceKey,
      pingScript: options.paths.pingScript,
      files,
    }),
  );
  const usesPing = served.some(({ pool }) => enabledMonitor(pool)?.type === 'PING');
  if (listeners.some((l) => l.protocol === 'PROMETHEUS'))
    backends.push(metricsBackend(options.paths.metricsSocket));
  const sections = [
    [`# HAProxy configuration of load balancer ${desired.id}, rendered by Sluice; do not edit.`],
    globalSection(listeners.map(connectionLimit), usesPing, options),
    ...(accessLogSocket === undefined ? [] : [accessLogRing(accessLogSocket)]),
    defaultsSection(),
    ...frontends,
    ...backends,
  ];
  return { config: `${sections.map((lines) => lines.join('\n')).join('\n\n')}\n`, files: files.files };
}

function globalSection(limits: readonly number[], usesPing: boolean, options: RenderOptions): string[] {
  // Sum of the listeners' limits, used only when 0 < sum < 1,000,000 (reference §12.1), then capped.
  const sum = limits.reduce((total, limit) => total + limit, 0);
  const octavia = sum > 0 && sum < MAX_GLOBAL_CONNECTIONS ? sum : MAX_GLOBAL_CONNECTIONS;
  const maxconn = Math.max(1, Math.min(octavia, options.maxConnCap ?? MAX_GLOBAL_CONNECTIONS));
  const { statsSocket, serverStateFile } = options.paths;
  const lines = [
    'global',
    // One thread per load balancer's HAProxy, as an Octavia amphora of one vCPU runs: a host holds many of
    // them, and each with a thread per core made them contend with each other (and cost memory per thread).
    // https://docs.haproxy.org/2.6/configuration.html#3.1-nbthread
    '    nbthread 1',
    `    maxconn ${maxconn}`,
    // Admin level: weights and admin state change through the runtime API; `expose-fd listeners` lets a
    // reloading worker take over the listening sockets so no connection is refused (seamless reload).
    `    stats socket ${configWord(statsSocket, 'stats socket path')} mode 600 level admin expose-fd listeners`,
    `    server-state-file ${configWord(serverStateFile, 'server state file path')}`,
  ];
  // External checks fork: HAProxy >= 2.2 refuses that unless told (reference §12.1).
  if (usesPing) lines.push('    external-check', '    insecure-fork-wanted');
  if (options.accessLogSocket !== undefined) lines.push(accessLogGlobal());
  return lines;
}

// Octavia also renders `option splice-request/response`; measured here (bench, loopback, small answers) it
// costs about 12% of HAProxy's TCP requests/s and gains nothing for HTTP, so it is left out: kernel splicing
// pays off only for large transfers, and HAProxy's own buffers serve typical API traffic better.
function defaultsSection(): string[] {
  return [
    'defaults',
    '    retries 3',
    '    option redispatch',
    '    option http-keep-alive',
    '    load-server-state-from-file global',
  ];
}
