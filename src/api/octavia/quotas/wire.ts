// Wire mapping for quotas (reference §10.1): Octavia returns both spellings of the load balancer and health
// monitor limits (`loadbalancer`/`load_balancer`, `healthmonitor`/`health_monitor`) and accepts either.
import type { QuotaResource } from '../../../model/quotas.ts';
import type { FilterField, WireObject } from '../../wire/listing.ts';
import { sameNames } from '../filter-fields.ts';

export type QuotaValues = Partial<Record<QuotaResource, number | null>>;

/** One quota set as Octavia renders it (QuotaBase); a NULL stored value stays null. */
export function quotaToWire(limits: QuotaValues): WireObject {
  const value = (resource: QuotaResource) => limits[resource] ?? null;
  return {
    loadbalancer: value('load_balancer'),
    load_balancer: value('load_balancer'),
    listener: value('listener'),
    member: value('member'),
    pool: value('pool'),
    healthmonitor: value('health_monitor'),
    health_monitor: value('health_monitor'),
    l7policy: value('l7policy'),
    l7rule: value('l7rule'),
  };
}

/** A list entry (QuotaAllBase): the project's stored values, null where the default applies. */
export function quotaListEntryToWire(projectId: string, stored: QuotaValues): WireObject {
  return { project_id: projectId, ...quotaToWire(stored) };
}

/** Attributes a quota list may filter or sort on. */
export const QUOTA_ATTRIBUTES = [
  'project_id',
  'loadbalancer',
  'load_balancer',
  'listener',
  'member',
  'pool',
  'healthmonitor',
  'health_monitor',
  'l7policy',
  'l7rule',
] as const;

/**
 * The limits a PUT body sets (null = back to the default). When both spellings are sent, the current one
 * wins, as in Octavia's QuotaBase.to_dict (it pops `loadbalancer` over `load_balancer`).
 */
export function quotaChangesFromWire(body: Record<string, unknown>): QuotaValues {
  const changes: QuotaValues = {};
  const take = (resource: QuotaResource, ...keys: string[]) => {
    for (const key of keys) if (key in body) changes[resource] = body[key] as number | null;
  };
  take('load_balancer', 'load_balancer', 'loadbalancer');
  take('listener', 'listener');
  take('member', 'member');
  take('pool', 'pool');
  take('health_monitor', 'health_monitor', 'healthmonitor');
  take('l7policy', 'l7policy');
  take('l7rule', 'l7rule');
  return changes;
}

/** Filter keys of the list: the data model's fields under their API and database names (reference §1.4). */
export const QUOTA_FILTERS: Readonly<Record<string, FilterField>> = sameNames(QUOTA_ATTRIBUTES);
