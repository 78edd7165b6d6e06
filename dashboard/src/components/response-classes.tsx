// HTTP responses since the data plane started, by class, as one stacked SVG bar (green 2xx/3xx, amber 4xx,
// red 5xx) with the counts written out beside it.
import type { Responses } from '../live/traffic-point.ts';

const TONES: Record<string, string> = {
  '1xx': 'idle',
  '2xx': 'good',
  '3xx': 'good',
  '4xx': 'busy',
  '5xx': 'bad',
};

export function ResponseClasses({ responses }: { responses: Responses }) {
  const classes = Object.keys(responses)
    .filter((c) => responses[c] > 0)
    .sort();
  const total = classes.reduce((sum, c) => sum + responses[c], 0);
  if (total === 0) return <p>No HTTP responses yet.</p>;
  let x = 0;
  return (
    <figure class="responses">
      <svg viewBox="0 0 100 8" preserveAspectRatio="none" role="img" aria-label="Responses by class">
        {classes.map((c) => {
          const width = (responses[c] / total) * 100;
          const bar = <rect key={c} class={TONES[c] ?? 'idle'} x={x} width={width} height="8" />;
          x += width;
          return bar;
        })}
      </svg>
      <figcaption>
        {classes.map((c) => (
          <span key={c} class="response-class">
            {c}: <strong data-counter={c}>{responses[c]}</strong>
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
