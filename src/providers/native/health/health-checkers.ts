// Which checker probes each Octavia health monitor type; SCTP has none, so the native provider reports
// it unsupported (501) instead of silently not checking.
import type { HealthChecker } from './health-checker.ts';
import { httpCheck } from './http-check.ts';
import { httpsCheck } from './https-check.ts';
import { pingCheck } from './ping-check.ts';
import { tcpCheck } from './tcp-check.ts';
import { tlsHelloCheck } from './tls-hello-check.ts';
import { udpConnectCheck } from './udp-connect-check.ts';

const CHECKERS: Readonly<Record<string, HealthChecker>> = {
  HTTP: httpCheck,
  HTTPS: httpsCheck,
  TCP: tcpCheck,
  'TLS-HELLO': tlsHelloCheck,
  'UDP-CONNECT': udpConnectCheck,
  PING: pingCheck,
};

export const SUPPORTED_HEALTH_MONITOR_TYPES: readonly string[] = Object.keys(CHECKERS);

/** The checker for a monitor type, or undefined when the native provider cannot probe it. */
export function healthCheckerFor(type: string): HealthChecker | undefined {
  return Object.hasOwn(CHECKERS, type) ? CHECKERS[type] : undefined;
}
