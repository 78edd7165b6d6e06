// A status word in its colour (green ACTIVE/ONLINE, amber PENDING_*/DEGRADED/DRAINING, red ERROR/OFFLINE,
// grey otherwise), the colour doubled by the word itself so it reads without colour too.

const TONES: [RegExp, string][] = [
  [/^(ACTIVE|ONLINE)$/, 'good'],
  [/^(PENDING_|DEGRADED|DRAINING)/, 'busy'],
  [/^(ERROR|OFFLINE)$/, 'bad'],
];

export function toneOf(status: string): string {
  return TONES.find(([pattern]) => pattern.test(status))?.[1] ?? 'idle';
}

export function StatusBadge({ status, label }: { status: string; label?: string }) {
  return (
    <span class={`badge ${toneOf(status)}`} data-status={status} title={label}>
      {status}
    </span>
  );
}
