// Wire form of the status events extension (`GET /sluice/v1/loadbalancers/{id}/events`): the query read and
// checked (limit, marker, resource_type, resource_id; anything else is a 400 in Octavia's fault format), one
// event's JSON, and the `next` link of a full page.
import { fail } from '../../../errors.ts';
import {
  RESOURCE_TYPE_NAMES,
  type StatusEvent,
  type StatusEventQuery,
} from '../../../store/repositories/status-event-repository.ts';
import { wireTime } from '../../octavia/octavia-wire.ts';
import { one, type Query } from '../../wire/listing.ts';
import { idPageQuery } from '../id-page-query.ts';

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;
const KEYS = ['limit', 'marker', 'resource_type', 'resource_id'];

/** The query as the repository reads it; throws the 400 fault for a value it cannot take. */
export function parseEventQuery(query: Query): StatusEventQuery {
  const { limit, marker } = idPageQuery(query, KEYS, { default: DEFAULT_LIMIT, max: MAX_LIMIT });
  const resourceType = one(query.resource_type);
  if (resourceType !== undefined && !RESOURCE_TYPE_NAMES.includes(resourceType)) {
    throw fail('octavia.invalid-option', { value: resourceType, option: 'resource_type' });
  }
  const resourceId = one(query.resource_id);
  return {
    limit,
    ...(marker !== undefined && { marker }),
    ...(resourceType !== undefined && { resourceType }),
    ...(resourceId !== undefined && { resourceId }),
  };
}

export const eventToWire = (e: StatusEvent) => ({
  id: e.id,
  created_at: wireTime(e.createdAt),
  resource_type: e.resourceType,
  resource_id: e.resourceId,
  field: e.field,
  from: e.from,
  to: e.to,
  reason: e.reason,
});

/** The answer: the page, and a `next` link (older events, same filters) when the page is full. */
export function eventsPage(events: readonly StatusEvent[], query: StatusEventQuery, selfUrl: string) {
  const page: { events: ReturnType<typeof eventToWire>[]; events_links?: { rel: string; href: string }[] } = {
    events: events.map(eventToWire),
  };
  const last = events.at(-1);
  if (last && events.length >= query.limit) {
    const params = new URLSearchParams({ limit: String(query.limit), marker: String(last.id) });
    if (query.resourceType !== undefined) params.set('resource_type', query.resourceType);
    if (query.resourceId !== undefined) params.set('resource_id', query.resourceId);
    page.events_links = [{ rel: 'next', href: `${selfUrl}?${params}` }];
  }
  return page;
}
