// Runs one socket probe under a deadline and an abort signal, settling exactly once and always releasing
// what the probe opened, so a checker only describes what "up" means for its protocol.

/** Starts a probe; calls `settle` with the verdict and returns the function that releases its resources. */
export type ProbeStarter = (settle: (up: boolean) => void) => () => void;

/**
 * Resolves with the probe's verdict, or false when `signal` aborts first. When `timeoutMs` passes first the
 * verdict is `upWhenSilent`: false for every check but UDP-CONNECT, where silence means up.
 */
export function runProbe(
  signal: AbortSignal,
  timeoutMs: number,
  start: ProbeStarter,
  upWhenSilent = false,
): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    if (signal.aborted) {
      resolve(false);
      return;
    }
    let settled = false;
    let release: (() => void) | undefined;
    const settle = (up: boolean): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      release?.();
      resolve(up);
    };
    const onAbort = (): void => settle(false);
    const timer = setTimeout(() => settle(upWhenSilent), timeoutMs);
    signal.addEventListener('abort', onAbort, { once: true });
    const cleanup = start(settle);
    // The starter may settle synchronously (e.g. an immediate socket error), before `release` exists.
    if (settled) cleanup();
    else release = cleanup;
  });
}
