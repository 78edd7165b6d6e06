// The UDP-CONNECT health check (Octavia's keepalived `udp_check.sh`, reference §12.6): send a datagram to
// the member; it is down only when an ICMP port-unreachable comes back within the timeout.
import { createSocket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import type { HealthChecker } from './health-checker.ts';
import { checkTimeoutMs } from './health-checker.ts';
import { runProbe } from './run-probe.ts';

/**
 * On a connected UDP socket Linux reports an ICMP port-unreachable as ECONNREFUSED on the next receive
 * (udp(7), "ERRORS"), which node emits as the socket's 'error'. Silence until the timeout means up, as
 * with `nc -uz` in Octavia's script; a reply datagram proves it up sooner.
 */
export const udpConnectCheck: HealthChecker = (target, monitor, signal) =>
  runProbe(
    signal,
    checkTimeoutMs(monitor),
    (settle) => {
      const socket = createSocket(isIPv6(target.address) ? 'udp6' : 'udp4');
      socket.on('error', () => settle(false));
      socket.on('message', () => settle(true));
      socket.connect(target.port, target.address, () => socket.send(Buffer.alloc(0)));
      return () => socket.close();
    },
    true,
  );
