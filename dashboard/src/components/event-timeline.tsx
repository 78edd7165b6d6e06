// The load balancer's status events, newest first: when, which object, the status change and its reason.
import type { StatusEvent } from '../api/sluice.ts';
import { StatusBadge } from './status-badge.tsx';

export function EventTimeline({ events }: { events: readonly StatusEvent[] }) {
  if (events.length === 0) return <p>No events yet.</p>;
  return (
    <ol class="timeline" aria-label="Event timeline">
      {events.map((e) => (
        <li key={e.id}>
          <time dateTime={e.created_at}>{new Date(e.created_at).toLocaleTimeString()}</time>{' '}
          <span class="kind">{e.resource_type}</span> <code>{e.resource_id.slice(0, 8)}</code> {e.field}:{' '}
          {e.from ?? '—'} → <StatusBadge status={e.to} />
          {e.reason && <span class="reason">{e.reason}</span>}
        </li>
      ))}
    </ol>
  );
}
