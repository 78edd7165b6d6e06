// The TLS-HELLO health check (`option ssl-hello-chk`, reference §12.3): the member is up when it speaks TLS
// back to a ClientHello. Its certificate is not verified; only the handshake matters. On a re-encrypting
// pool (target.tls) it is a full handshake with the pool's client certificate and CA, which must succeed.
import { connect } from 'node:tls';
import { memberConnectOptions } from '../tls/member-tls.ts';
import type { HealthChecker } from './health-checker.ts';
import { checkTimeoutMs } from './health-checker.ts';
import { runProbe } from './run-probe.ts';

/**
 * HAProxy's ssl-hello-chk accepts a reply that starts with a TLS handshake (0x16) or alert (0x15) record
 * (`tcp-check expect rbinary ^1[56]`), so a server that answers the hello with an alert (e.g. it requires
 * a client certificate) is up too. OpenSSL reports a received alert with an `..._ALERT_...` error code.
 */
function isAlertFromPeer(error: Error): boolean {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  return code.startsWith('ERR_SSL_') && code.includes('ALERT');
}

export const tlsHelloCheck: HealthChecker = (target, monitor, signal) =>
  runProbe(signal, checkTimeoutMs(monitor), (settle) => {
    const { address, port, tls } = target;
    const secure = tls ? memberConnectOptions(tls, undefined) : { rejectUnauthorized: false };
    const socket = connect({ host: address, port, ...secure });
    socket.once('secureConnect', () => settle(true));
    socket.once('error', (error) => settle(!tls && isAlertFromPeer(error)));
    socket.once('close', () => settle(false));
    return () => socket.destroy();
  });
