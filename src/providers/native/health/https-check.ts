// The HTTPS health check: the HTTP check over TLS without verifying the member's certificate, as Octavia
// renders it (`check-ssl verify none`, reference §12.3).
import { connect } from 'node:tls';
import type { HealthChecker } from './health-checker.ts';
import { probeHttpStatus } from './http-probe.ts';

export const httpsCheck: HealthChecker = (target, monitor, signal) =>
  probeHttpStatus(target, monitor, signal, ({ address, port }) => ({
    socket: connect({ host: address, port, rejectUnauthorized: false }),
    readyEvent: 'secureConnect',
  }));
