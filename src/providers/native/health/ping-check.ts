// The PING health check: one ICMP echo through the system `ping` (raw ICMP sockets need privileges node
// lacks), as Octavia's HAProxy `external-check` runs ping-wrapper.sh (reference §12.3).
import { execFile } from 'node:child_process';
import { MAX_TIMER_MS } from '../timer-bounds.ts';
import type { HealthChecker } from './health-checker.ts';
import { checkTimeoutMs } from './health-checker.ts';

const MAX_PING_WAIT_S = Math.floor(MAX_TIMER_MS / 1000) - 1;

/** Builds the checker around a `ping` command (a parameter so a test can name one that does not exist). */
export function createPingCheck(command = 'ping'): HealthChecker {
  return (target, monitor, signal) =>
    new Promise<boolean>((resolve, reject) => {
      // `-W` takes whole seconds; ping-wrapper.sh likewise runs `ping -q -n -w 1 -c 1` per check. Bounded so
      // the kill timer below (one second more) stays within what a Node timer holds (timer-bounds.ts).
      const seconds = Math.min(MAX_PING_WAIT_S, Math.max(1, Math.ceil(checkTimeoutMs(monitor) / 1000)));
      const args = ['-q', '-n', '-c', '1', '-W', String(seconds), target.address];
      // The extra second lets ping report its own timeout before node kills it.
      execFile(command, args, { signal, timeout: (seconds + 1) * 1000 }, (error) => {
        if (error === null) resolve(true);
        else if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
          reject(new Error(`PING health check cannot run: the '${command}' command is not installed`));
        } else resolve(false);
      });
    });
}

export const pingCheck: HealthChecker = createPingCheck();
