// The longest delay a Node timer holds, and the saturation every tenant-derived delay of the native data plane
// goes through before it reaches setTimeout, setInterval or socket.setTimeout.

/**
 * 2^31 − 1 ms (24.8 days). Node turns a longer delay into 1 ms ("When delay is larger than 2147483647 or less
 * than 1, the delay will be set to 1", https://nodejs.org/api/timers.html#settimeoutcallback-delay-args), so a
 * health monitor `delay` of 2^31 s would probe a thousand times a second instead of never.
 */
export const MAX_TIMER_MS = 2_147_483_647;

/** `ms` saturated at MAX_TIMER_MS (a timer that long is as good as never); ≤ 0 and NaN stay "none" (0). */
export function timerMs(ms: number): number {
  return ms > 0 ? Math.min(ms, MAX_TIMER_MS) : 0;
}
