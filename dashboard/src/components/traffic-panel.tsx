// Live traffic of one load balancer: scrapes its metrics every 2 s and charts requests/s and open connections
// for the whole load balancer and requests/s per member, each point from two successive scrapes.
import { useEffect, useRef, useState } from 'preact/hooks';
import { metricsText } from '../api/sluice.ts';
import { parseMetrics, type Sample } from '../live/metrics-text.ts';
import { type TrafficPoint, trafficPoint } from '../live/traffic-point.ts';
import { usePolling } from '../live/use-polling.ts';
import { ErrorAlert } from './error-alert.tsx';
import { ResponseClasses } from './response-classes.tsx';
import { TrafficChart } from './traffic-chart.tsx';

const INTERVAL_MS = 2000;
const KEEP = 30;

type Scrape = { samples: Sample[]; at: number };

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
  const previous = useRef<Scrape>();
  const scrape = usePolling(
    async (): Promise<Scrape> => ({
      samples: parseMetrics(await metricsText(token, lbId)),
      at: performance.now(),
    }),
    INTERVAL_MS,
    `${token} ${lbId}`,
  );
  useEffect(() => {
    const now = scrape.value;
    if (!now) return;
    const before = previous.current;
    previous.current = now;
    if (!before) return;
    const point = trafficPoint(before.samples, now.samples, (now.at - before.at) / 1000, Date.now());
    setPoints((all) => [...all.slice(1 - KEEP), point]);
  }, [scrape.value]);
  const last = points.at(-1);
  const members = Object.keys(last?.members ?? {}).sort();
  return (
    <section aria-labelledby="traffic-title">
      <h2 id="traffic-title">Traffic</h2>
      <ErrorAlert message={scrape.error} />
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
          <ResponseClasses responses={last.responses} />
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
