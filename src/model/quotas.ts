// Quota vocabulary (reference §10.1): the resources counted, their Octavia display names (used in the 403
// message), and the defaults (-1 = unlimited, 0 = none allowed).

export const QuotaResource = {
  load_balancer: 'load_balancer',
  listener: 'listener',
  pool: 'pool',
  member: 'member',
  health_monitor: 'health_monitor',
  l7policy: 'l7policy',
  l7rule: 'l7rule',
} as const;
export type QuotaResource = (typeof QuotaResource)[keyof typeof QuotaResource];

/** What Octavia's data models' `_name()` returns, as the 403 names the resource. */
export const QUOTA_CLASS_NAMES: Readonly<Record<QuotaResource, string>> = {
  load_balancer: 'Load Balancer',
  listener: 'Listener',
  pool: 'Pool',
  member: 'Member',
  health_monitor: 'Health Monitor',
  l7policy: 'L7 Policy',
  l7rule: 'L7 Rule',
};

export type QuotaLimits = Readonly<Record<QuotaResource, number>>;

export const DEFAULT_QUOTAS: QuotaLimits = {
  load_balancer: -1,
  listener: -1,
  pool: -1,
  member: -1,
  health_monitor: -1,
  l7policy: -1,
  l7rule: -1,
};

export const QUOTA_MIN = -1;
export const QUOTA_MAX = 2_000_000_000;

/** True when `inUse + adding` stays within `limit` (-1 = unlimited). */
export const withinQuota = (limit: number, inUse: number, adding: number): boolean =>
  limit < 0 || inUse + adding <= limit;
