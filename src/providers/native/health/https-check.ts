// The HTTPS health check: the HTTP check over TLS without verifying the member's certificate, as Octavia
// renders it (`check-ssl verify none`, reference §12.3). On a re-encrypting pool the check uses the
// server line's TLS settings as HAProxy does (its `ssl crt … ca-file … verify` come after and win): the
// pool's client certificate, and verification when the pool has a CA.
import { connect } from 'node:tls';
import { memberConnectOptions } from '../tls/member-tls.ts';
import type { HealthChecker } from './health-checker.ts';
import { probeHttpStatus } from './http-probe.ts';

export const httpsCheck: HealthChecker = (target, monitor, signal) =>
  probeHttpStatus(target, monitor, signal, ({ address, port, tls }) => ({
    socket: connect({
      host: address,
      port,
      ...(tls ? memberConnectOptions(tls, undefined) : { rejectUnauthorized: false }),
    }),
    readyEvent: 'secureConnect',
  }));
