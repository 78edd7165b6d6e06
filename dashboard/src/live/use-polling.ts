// Calls `read` now and every `intervalMs` after the previous call settles (never two at once), for as long
// as the component is mounted; the latest value or error, and a way to read again at once.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

export type Polled<T> = { value: T | undefined; error: string | undefined; refresh: () => void };

export function usePolling<T>(read: () => Promise<T>, intervalMs: number, key: string): Polled<T> {
  const [value, setValue] = useState<T>();
  const [error, setError] = useState<string>();
  const [tick, setTick] = useState(0);
  const reader = useRef(read);
  reader.current = read;
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = async () => {
      try {
        const next = await reader.current();
        if (!stopped) {
          setValue(next);
          setError(undefined);
        }
      } catch (e) {
        if (!stopped) setError((e as Error).message);
      }
      if (!stopped) timer = setTimeout(run, intervalMs);
    };
    void run();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [intervalMs, key, tick]);
  const refresh = useCallback(() => setTick((t) => t + 1), []);
  return { value, error, refresh };
}
