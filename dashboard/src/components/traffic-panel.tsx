// Live traffic of one load balancer: scrapes its metrics every 2 s and charts requests/s and open connections
// for the whole load balancer and requests/s per member, each point from two successive scrapes.
import { useEffect, useRef, useState } from 'preact/hooks';
import { metricsText } from '../api/sluice.ts';
import { parseMetrics, type Sample } from '../live/metrics-text.ts';
import { type TrafficPoint, trafficPoint } from '../live/traffic-point.ts';
import { TrafficChart } from './traffic-chart.tsx';

const INTERVAL_MS = 2000;
const KEEP = 30;

export function TrafficPanel({
  token,
  lbId,
  names,
}: {
  token: string;
  lbId: string;
  names: Record<string, string>;
}) {
  const [points, setPoints] = useState<TrafficPoint[]>([]);
  const [error, setError] = useState<string>();
  const previous = useRef<{ samples: Sample[]; at: number }>();
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const scrape = async () => {
      try {
        const samples = parseMetrics(await metricsText(token, lbId));
        const at = performance.now();
        const before = previous.current;
        previous.current = { samples, at };
        if (before && !stopped) {
          const point = trafficPoint(before.samples, samples, (at - before.at) / 1000, Date.now());
          setPoints((all) => [...all.slice(1 - KEEP), point]);
        }
        setError(undefined);
      } catch (e) {
        if (!stopped) setError((e as Error).message);
      }
      if (!stopped) timer = setTimeout(scrape, INTERVAL_MS);
    };
    void scrape();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [token, lbId]);
  const last = points.at(-1);
  const members = Object.keys(last?.members ?? {}).sort();
  return (
    <section aria-labelledby="traffic-title">
      <h2 id="traffic-title">Traffic</h2>
      {error && <p role="alert">{error}</p>}
      {!last && <p>Measuring…</p>}
      {last && (
        <>
          <div class="charts">
            <TrafficChart label="Requests" unit="/s" values={points.map((p) => p.total.requestsPerSecond)} />
            <TrafficChart label="Connections" unit="open" values={points.map((p) => p.total.connections)} />
          </div>
          <p>
            Requests since start: <strong data-counter="requests">{last.total.requestsTotal}</strong>
          </p>
          <div class="charts">
            {members.map((id) => (
              <TrafficChart
                key={id}
                label={`Member ${names[id] ?? id.slice(0, 8)}`}
                unit="requests/s"
                values={points.map((p) => p.members[id]?.requestsPerSecond ?? 0)}
              />
            ))}
          </div>
        </>
      )}
    </section>
  );
}
