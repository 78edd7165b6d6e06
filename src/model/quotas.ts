// Quota vocabulary (reference §10.1): the resources counted, their Octavia class names (used in the 403
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

export const QUOTA_CLASS_NAMES: Readonly<Record<QuotaResource, string>> = {
  load_balancer: 'LoadBalancer',
  listener: 'Listener',
  pool: 'Pool',
  member: 'Member',
  health_monitor: 'HealthMonitor',
  l7policy: 'L7Policy',
  l7rule: 'L7Rule',
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
