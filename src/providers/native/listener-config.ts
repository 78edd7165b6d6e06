// One listener compiled for one revision: everything a new connection or request consults, frozen, so a
// reconfiguration swaps a single reference and what already started keeps the snapshot it took.
// timeout_tcp_inspect is not used: it only delays content inspection (HAProxy `tcp-request inspect-delay`,
// reference §12.2) and the native data plane has no TCP content rules.
import type { DesiredListener } from '../../model/desired-state.ts';
import { SSL_HEADERS } from '../../model/listener.ts';
import type { PoolRuntime } from './balancing/pool-runtime.ts';
import { cidrMatcher } from './cidr-match.ts';
import { compileL7Policies, type L7Decision, type L7Request } from './l7/l7-policies.ts';
import { timerMs } from './timer-bounds.ts';
import { compileListenerTls, type ListenerTls } from './tls/listener-tls.ts';

export type ListenerConfig = Readonly<{
  listener: DesiredListener;
  defaultPool: PoolRuntime | undefined;
  /** every pool this revision serves, for REDIRECT_TO_POOL */
  pools: ReadonlyMap<string, PoolRuntime>;
  route: (request: L7Request) => L7Decision;
  allowed: (address: string) => boolean;
  insert: Readonly<{
    forwardedFor: boolean;
    forwardedPort: boolean;
    /** `http` on HTTP listeners, `https` on TERMINATED_HTTPS ones; undefined when not inserted */
    forwardedProto: 'http' | 'https' | undefined;
    /** the X-SSL-* headers set on member requests (lower case), TERMINATED_HTTPS only */
    ssl: readonly string[];
  }>;
  /** TLS termination (TERMINATED_HTTPS): the handshake side of this revision */
  tls: ListenerTls | undefined;
}>;

/** Listeners whose connections carry HTTP/1 the proxy parses (after TLS for TERMINATED_HTTPS). */
export function httpMode(protocol: string): boolean {
  return protocol === 'HTTP' || protocol === 'TERMINATED_HTTPS';
}

/** `previous`: the configuration the listener's binding serves now, whose TLS server may be kept. */
export function compileListener(
  listener: DesiredListener,
  pools: ReadonlyMap<string, PoolRuntime>,
  previous?: ListenerConfig,
): ListenerConfig {
  const enabled = (name: string) =>
    Object.entries(listener.insertHeaders).some(
      ([key, value]) => key.toLowerCase() === name && value.toLowerCase() === 'true', // reference §4.3
    );
  // Every connection and request timer reads its timeouts from here: saturated once so none wraps to 1 ms.
  const { clientData, memberConnect, memberData, tcpInspect } = listener.timeouts;
  const timeouts = {
    clientData: timerMs(clientData),
    memberConnect: timerMs(memberConnect),
    memberData: timerMs(memberData),
    tcpInspect: timerMs(tcpInspect),
  };
  const terminated = listener.protocol === 'TERMINATED_HTTPS';
  const saturated = { ...listener, timeouts };
  return {
    listener: saturated,
    defaultPool: listener.defaultPoolId ? pools.get(listener.defaultPoolId) : undefined,
    pools,
    // L7 policies only exist in HTTP mode (reference §12.4)
    route: httpMode(listener.protocol)
      ? compileL7Policies(listener.l7policies, (id) => pools.has(id))
      : () => ({ kind: 'default' }),
    allowed: cidrMatcher(listener.allowedCidrs),
    insert: {
      forwardedFor: enabled('x-forwarded-for'),
      forwardedPort: enabled('x-forwarded-port'),
      forwardedProto: enabled('x-forwarded-proto') ? (terminated ? 'https' : 'http') : undefined,
      // Octavia renders the X-SSL-* headers for TERMINATED_HTTPS listeners only (macros.j2 backend_macro).
      ssl: terminated ? SSL_HEADERS.map((h) => h.toLowerCase()).filter(enabled) : [],
    },
    tls: compileListenerTls(saturated, previous?.tls),
  };
}

/** Whether the listener is at its connection_limit (−1 or 0 = unlimited): it then reports FULL. */
export function atLimit(listener: DesiredListener, active: number): boolean {
  return listener.connectionLimit > 0 && active >= listener.connectionLimit;
}
