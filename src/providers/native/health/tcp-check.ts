// The TCP health check: the member is up when a TCP connection to it completes (HAProxy plain `check`,
// reference §12.3); nothing is sent, and the connection is closed at once.
import { connect } from 'node:net';
import type { HealthChecker } from './health-checker.ts';
import { checkTimeoutMs } from './health-checker.ts';
import { runProbe } from './run-probe.ts';

export const tcpCheck: HealthChecker = (target, monitor, signal) =>
  runProbe(signal, checkTimeoutMs(monitor), (settle) => {
    const socket = connect({ host: target.address, port: target.port });
    socket.once('connect', () => settle(true));
    socket.once('error', () => settle(false));
    socket.once('close', () => settle(false));
    return () => socket.destroy();
  });
