// The shape every health checker shares (one probe of one member, resolving true when the member is up) and
// the probe deadline both HAProxy and Octavia derive from the monitor's `timeout` (reference §12.3).
import type { DesiredHealthMonitor } from '../../../model/desired-state.ts';
import { timerMs } from '../timer-bounds.ts';
import type { MemberTls } from '../tls/member-tls.ts';

export type CheckTarget = Readonly<{
  address: string;
  port: number;
  /** a re-encrypting pool's TLS settings, which its HTTP(S) checks inherit (client certificate, CA) */
  tls?: MemberTls;
}>;

/**
 * One probe: resolves true (up) or false (down) within the monitor's timeout, or false early when `signal`
 * aborts. It rejects only when the check cannot run at all (e.g. no `ping` binary), with a reason to log;
 * the tracker counts that as a failure.
 */
export type HealthChecker = (
  target: CheckTarget,
  monitor: DesiredHealthMonitor,
  signal: AbortSignal,
) => Promise<boolean>;

/** Shortest check period: Octavia accepts `delay` 0, which would otherwise probe in a busy loop. */
const MIN_DELAY_MS = 1000;

/**
 * Milliseconds between the starts of two checks of one member (`check inter <delay>s`, reference §12.3),
 * saturated at what a Node timer holds (timer-bounds.ts): beyond 24.8 days a check is as good as never.
 */
export function checkIntervalMs(monitor: DesiredHealthMonitor): number {
  return timerMs(Math.max(MIN_DELAY_MS, monitor.delay * 1000));
}

/**
 * Milliseconds one probe may take (`timeout check <timeout>s`). Octavia accepts `timeout` 0; HAProxy then
 * bounds a check by `inter` alone (HAProxy manual, "timeout check"), so 0 falls back to the interval.
 */
export function checkTimeoutMs(monitor: DesiredHealthMonitor): number {
  return monitor.timeout > 0 ? timerMs(monitor.timeout * 1000) : checkIntervalMs(monitor);
}
