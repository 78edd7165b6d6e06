// One HAProxy backend per (pool, listener), named `<pool_id>:<listener_id>` (reference §12.3): algorithm,
// persistence, health monitor, PROXY protocol, re-encryption and one `server` per member named by its id.
// `serverArguments` is shared with the runtime API's `add server`, so a server added live is the one a reload
// would create.
import type {
  DesiredHealthMonitor,
  DesiredListener,
  DesiredMember,
  DesiredPool,
} from '../../model/desired-state.ts';
import {
  addressWithPort,
  checkDomain,
  checkMethod,
  checkPath,
  configWord,
  expectedCodesRegex,
  fetchArgument,
  ipAddress,
  RenderRefusal,
  safeId,
} from './config-quoting.ts';
import { checkAlpnWords, serverTlsWords } from './render-tls.ts';
import type { TlsFileSet } from './tls-files.ts';

export type BackendContext = Readonly<{
  /** `http` or `tcp`: a backend takes its listener's mode (an HTTP pool behind a TCP listener is byte-forwarded) */
  mode: 'http' | 'tcp';
  /** frontend maxconn, reused as `fullconn` like Octavia */
  connectionLimit: number;
  /** `ip` or `ipv6`: the SOURCE_IP stick-table key type, from the VIP family */
  sourceKey: 'ip' | 'ipv6';
  pingScript: string;
  /** where the certificate files of re-encrypting pools are named */
  files: TlsFileSet;
}>;

/** HAProxy's name for the backend serving `poolId` behind `listenerId`. */
export function backendName(poolId: string, listenerId: string): string {
  return `${safeId(poolId, 'pool')}:${safeId(listenerId, 'listener')}`;
}

const BALANCE: Readonly<Record<string, string[]>> = {
  ROUND_ROBIN: ['balance roundrobin'],
  LEAST_CONNECTIONS: ['balance leastconn'],
  SOURCE_IP: ['balance source'],
  // Octavia's amphora driver answers 501 here (reference §5). HAProxy 2.6 can hash any sample expression
  // (`balance hash`, manual §4.2), so the client address and port are hashed together, which is what the
  // algorithm means; the port is carried in a session variable because `concat` only joins variables.
  SOURCE_IP_PORT: [
    'tcp-request content set-var(sess.sluice_src_port) src_port',
    'balance hash src,concat(:,sess.sluice_src_port)',
  ],
};

/** Whether HAProxy can add a server to this backend at run time (`add server` needs a dynamic algorithm, no cookie). */
export function acceptsDynamicServers(pool: DesiredPool, mode: 'http' | 'tcp'): boolean {
  const dynamic = pool.lbAlgorithm === 'ROUND_ROBIN' || pool.lbAlgorithm === 'LEAST_CONNECTIONS';
  // Re-encrypting servers are left to a reload: their certificate files belong to a render, not a command.
  return (
    dynamic && !(mode === 'http' && pool.sessionPersistence?.type === 'HTTP_COOKIE') && !pool.tls.enabled
  );
}

export function renderBackend(
  pool: DesiredPool,
  listener: DesiredListener,
  context: BackendContext,
): string[] {
  const lines = [`backend ${backendName(pool.id, listener.id)}`, `    mode ${context.mode}`];
  const body: string[] = [];
  if (context.mode === 'http' && pool.protocol === 'HTTP') body.push('http-reuse safe');
  const balance = BALANCE[pool.lbAlgorithm];
  if (!balance) throw new RenderRefusal(`lb_algorithm ${pool.lbAlgorithm}`);
  body.push(...balance);
  body.push(...persistence(pool, context));
  const monitor = enabledMonitor(pool);
  if (monitor) body.push(...monitorLines(monitor, context));
  body.push(`fullconn ${context.connectionLimit}`, 'option allbackups');
  body.push(
    `timeout connect ${listener.timeouts.memberConnect}`,
    `timeout server ${listener.timeouts.memberData}`,
  );
  for (const member of pool.members)
    body.push(
      `server ${safeId(member.id, 'member')} ${serverArguments(pool, member, { ...context, listener })}`,
    );
  return [...lines, ...body.map((line) => `    ${line}`)];
}

/** Everything after `server <name>` on a member's line (also the arguments of `add server`). */
/** What a member's server line depends on besides its pool and itself. */
export type ServerContext = Readonly<{
  mode: 'http' | 'tcp';
  listener: DesiredListener;
  files: TlsFileSet;
}>;

export function serverArguments(pool: DesiredPool, member: DesiredMember, server: ServerContext): string {
  const { mode, files } = server;
  if (!Number.isInteger(member.weight) || member.weight < 0 || member.weight > 256) {
    throw new RenderRefusal(`member weight ${member.weight}`);
  }
  const words = [addressWithPort(member.address, member.protocolPort, 'member'), `weight ${member.weight}`];
  const monitor = enabledMonitor(pool);
  if (monitor) {
    // `inter` must be positive; a delay of 0 (the API allows it) checks once a second.
    words.push(
      `check inter ${Math.max(1, monitor.delay)}s fall ${monitor.maxRetriesDown} rise ${monitor.maxRetries}`,
    );
    if (member.monitorAddress !== null)
      words.push(`addr ${ipAddress(member.monitorAddress, 'member monitor')}`);
    if (member.monitorPort !== null) words.push(`port ${portNumber(member.monitorPort)}`);
    // HTTPS monitors speak TLS to the member; TLS-HELLO is a full handshake rather than `option
    // ssl-hello-chk`, whose SSLv3 hello current OpenSSL servers refuse. A re-encrypting pool's checks go
    // over TLS whatever the monitor type, with the server's own crt/ca-file/verify (manual §5.2 "check-ssl").
    if (pool.tls.enabled) words.push('check-ssl', ...checkAlpnWords(pool));
    else if (monitor.type === 'HTTPS' || monitor.type === 'TLS-HELLO') words.push('check-ssl verify none');
  }
  if (mode === 'http' && pool.sessionPersistence?.type === 'HTTP_COOKIE') words.push(`cookie ${member.id}`);
  if (pool.protocol === 'PROXY') words.push('send-proxy');
  // Behind TLS termination Octavia adds the client certificate's CN to the PROXY v2 header (member_macro).
  if (pool.protocol === 'PROXYV2')
    words.push(server.listener.protocol === 'TERMINATED_HTTPS' ? 'send-proxy-v2-ssl-cn' : 'send-proxy-v2');
  if (member.backup) words.push('backup');
  if (!member.adminStateUp) words.push('disabled');
  words.push(...serverTlsWords(pool, files));
  return words.join(' ');
}

/** The pool's monitor when it is enabled and HAProxy runs it (reference §12.3 "any enabled HM"). */
export function enabledMonitor(pool: DesiredPool): DesiredHealthMonitor | null {
  const monitor = pool.healthMonitor;
  return monitor?.adminStateUp ? monitor : null;
}

function persistence(pool: DesiredPool, context: BackendContext): string[] {
  const sp = pool.sessionPersistence;
  if (!sp) return [];
  switch (sp.type) {
    case 'SOURCE_IP':
      return [`stick-table type ${context.sourceKey} size 10k`, 'stick on src'];
    case 'HTTP_COOKIE':
      return context.mode === 'http' ? ['cookie SRV insert indirect nocache'] : [];
    case 'APP_COOKIE': {
      if (context.mode !== 'http' || sp.cookieName === null) return [];
      const name = fetchArgument(sp.cookieName, 'session_persistence cookie_name');
      return [
        'stick-table type string len 64 size 10k',
        `stick store-response res.cook(${name})`,
        `stick match req.cook(${name})`,
      ];
    }
    default:
      throw new RenderRefusal(`session_persistence type ${sp.type}`);
  }
}

function monitorLines(monitor: DesiredHealthMonitor, context: BackendContext): string[] {
  const lines = monitor.timeout > 0 ? [`timeout check ${monitor.timeout}s`] : [];
  switch (monitor.type) {
    case 'HTTP':
    case 'HTTPS': {
      const method = checkMethod(monitor.httpMethod ?? 'GET');
      const path = checkPath(monitor.urlPath ?? '/');
      const version =
        monitor.httpVersion === 1.1 ? ' HTTP/1.1' : monitor.httpVersion === 1.0 ? ' HTTP/1.0' : '';
      lines.push(`option httpchk ${method} ${path}${version}`);
      if (monitor.domainName !== null)
        lines.push(`http-check send hdr Host ${checkDomain(monitor.domainName)}`);
      // HTTP/1.1 requires Host (RFC 9112 §3.2); without a domain name, send the checked address like native.
      else if (monitor.httpVersion === 1.1) lines.push('http-check send hdr Host %[dst]:%[dst_port]');
      lines.push(
        `http-check expect rstatus ${configWord(expectedCodesRegex(monitor.expectedCodes ?? '200'), 'expected_codes')}`,
      );
      return lines;
    }
    case 'TCP':
    case 'TLS-HELLO':
      return lines;
    case 'PING':
      // Octavia's approach (reference §12.3): an external check running ping; needs `external-check` globally.
      return [
        ...lines,
        'option external-check',
        'external-check path "/usr/bin:/bin:/usr/sbin:/sbin"',
        `external-check command ${configWord(context.pingScript, 'ping script path')}`,
      ];
    default:
      throw new RenderRefusal(`health monitor type ${monitor.type}`);
  }
}

function portNumber(port: number): number {
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new RenderRefusal(`member monitor_port ${port}`);
  return port;
}
