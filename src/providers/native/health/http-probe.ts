// One HTTP health request over a socket the caller opens (plain for HTTP, TLS for HTTPS), judged by the
// status line alone, as HAProxy's `option httpchk` + `http-check expect rstatus` do (reference §12.3).
import type { Socket } from 'node:net';
import type { DesiredHealthMonitor } from '../../../model/desired-state.ts';
import { HTTP_DEFAULTS } from '../../../model/health-monitor.ts';
import { parseExpectedCodes } from './expected-codes.ts';
import type { CheckTarget } from './health-checker.ts';
import { checkTimeoutMs } from './health-checker.ts';
import { runProbe } from './run-probe.ts';

/** A status line longer than this is not HTTP; HAProxy likewise gives up past its check buffer. */
const MAX_STATUS_LINE_BYTES = 8192;

/**
 * The request HAProxy would send. Without `http_version` it is HTTP/1.0 with no Host header (HAProxy's
 * `option httpchk <method> <uri>` default); `domain_name` becomes the Host header. An HTTP/1.1 request
 * without `domain_name` still carries Host (the member's address), because RFC 9112 §3.2 requires it and
 * servers answer 400 without it.
 */
export function healthRequest(target: CheckTarget, monitor: DesiredHealthMonitor): string {
  const method = monitor.httpMethod ?? HTTP_DEFAULTS.httpMethod;
  const path = monitor.urlPath ?? HTTP_DEFAULTS.urlPath;
  const version = monitor.httpVersion === 1.1 ? '1.1' : '1.0';
  const lines = [`${method} ${path} HTTP/${version}`];
  if (monitor.domainName !== null) lines.push(`Host: ${monitor.domainName}`);
  else if (version === '1.1') {
    const host = target.address.includes(':') ? `[${target.address}]` : target.address;
    lines.push(`Host: ${host}:${target.port}`);
  }
  lines.push('Connection: close');
  return lines.join('\r\n') + '\r\n\r\n';
}

/** Opens the connection to probe and names the event after which the request may be written. */
export type ProbeSocketOpener = (target: CheckTarget) => Readonly<{ socket: Socket; readyEvent: string }>;

/** Sends the health request and resolves true when the response status is one of the expected codes. */
export function probeHttpStatus(
  target: CheckTarget,
  monitor: DesiredHealthMonitor,
  signal: AbortSignal,
  open: ProbeSocketOpener,
): Promise<boolean> {
  const expected = parseExpectedCodes(monitor.expectedCodes);
  return runProbe(signal, checkTimeoutMs(monitor), (settle) => {
    const { socket, readyEvent } = open(target);
    let received = '';
    socket.setEncoding('latin1');
    socket.once(readyEvent, () => socket.write(healthRequest(target, monitor)));
    socket.on('data', (chunk: string) => {
      received += chunk;
      const end = received.indexOf('\r\n');
      if (end < 0) {
        if (received.length > MAX_STATUS_LINE_BYTES) settle(false);
        return;
      }
      const status = /^HTTP\/\d\.\d (\d{3})/.exec(received.slice(0, end));
      settle(status !== null && expected.has(Number(status[1])));
    });
    socket.once('error', () => settle(false));
    socket.once('close', () => settle(false));
    return () => socket.destroy();
  });
}
