// What the haproxy provider will not serve, in words the API reuses for its 501 (`Provider 'haproxy' does not
// support a requested option: …`, reference §4.2): UDP and SCTP (keepalived LVS is not used here), TLS
// termination and re-encryption (no certificate store), PROMETHEUS, and any value that cannot be written safely.
import type { DesiredLoadBalancer } from '../../model/desired-state.ts';
import { type OptionSupport, unsupportedBy } from '../option-support.ts';
import { RenderRefusal } from './config-quoting.ts';
import { renderHaproxyConfig } from './render-config.ts';

const HAPROXY_SUPPORT: OptionSupport = {
  listenerProtocols: new Set(['TCP', 'HTTP', 'HTTPS']),
  poolProtocols: new Set(['TCP', 'HTTP', 'HTTPS', 'PROXY', 'PROXYV2']),
  algorithms: new Set(['ROUND_ROBIN', 'LEAST_CONNECTIONS', 'SOURCE_IP', 'SOURCE_IP_PORT']),
  persistence: new Set(['SOURCE_IP', 'HTTP_COOKIE', 'APP_COOKIE']),
  ruleTypes: new Set(['HOST_NAME', 'PATH', 'FILE_TYPE', 'HEADER', 'COOKIE']),
  insertHeaders: new Set(['x-forwarded-for', 'x-forwarded-port', 'x-forwarded-proto']),
  monitors: new Set(['HTTP', 'HTTPS', 'PING', 'TCP', 'TLS-HELLO']),
  l7OnlyOnHttp: true,
};

/** Paths only used to try a render; nothing is written. */
const PROBE_PATHS = {
  statsSocket: '/probe/stats.sock',
  serverStateFile: '/probe/state',
  pingScript: '/probe/ping',
};

/** The human-readable list of what in `desired` this provider cannot serve; empty when it can serve all. */
export function unsupportedOptions(desired: DesiredLoadBalancer): string[] {
  const found = unsupportedBy(desired, HAPROXY_SUPPORT);
  // Only a document made of supported parts is worth rendering; the renderer then names any unsafe value.
  if (found.size === 0) {
    const refusal = renderRefusal(desired);
    if (refusal) found.add(refusal);
  }
  return [...found];
}

function renderRefusal(desired: DesiredLoadBalancer): string | undefined {
  try {
    renderHaproxyConfig(desired, { paths: PROBE_PATHS });
    return undefined;
  } catch (error) {
    if (error instanceof RenderRefusal) return error.message;
    throw error;
  }
}
