// The HTTP health check: `option httpchk` over plain TCP (reference §12.3), expecting `expected_codes`.
import { connect } from 'node:net';
import type { HealthChecker } from './health-checker.ts';
import { probeHttpStatus } from './http-probe.ts';

export const httpCheck: HealthChecker = (target, monitor, signal) =>
  probeHttpStatus(target, monitor, signal, ({ address, port }) => ({
    socket: connect({ host: address, port }),
    readyEvent: 'connect',
  }));
