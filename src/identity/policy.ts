// Octavia's default RBAC policy (octavia-v2-api.md §9: Zed defaults with enforce_new_defaults=False, so the
// deprecated alternatives are OR-ed in) as pure decisions over an AuthContext, plus the list-scoping rule.
import type { AuthContext } from './auth-context.ts';

export const PolicyObject = {
  loadbalancer: 'loadbalancer',
  listener: 'listener',
  pool: 'pool',
  member: 'member',
  healthmonitor: 'healthmonitor',
  l7policy: 'l7policy',
  l7rule: 'l7rule',
  quota: 'quota',
  amphora: 'amphora',
  provider: 'provider',
  providerFlavor: 'provider-flavor',
  providerAvailabilityZone: 'provider-availability-zone',
  flavor: 'flavor',
  flavorProfile: 'flavor-profile',
  availabilityZone: 'availability-zone',
  availabilityZoneProfile: 'availability-zone-profile',
} as const;
export type PolicyObject = (typeof PolicyObject)[keyof typeof PolicyObject];

export const PolicyAction = {
  getAll: 'get_all',
  getAllGlobal: 'get_all-global',
  post: 'post',
  getOne: 'get_one',
  put: 'put',
  delete: 'delete',
  getStats: 'get_stats',
  getStatus: 'get_status',
  putFailover: 'put_failover',
  putConfig: 'put_config',
  getDefaults: 'get_defaults',
} as const;
export type PolicyAction = (typeof PolicyAction)[keyof typeof PolicyAction];

/** The `load-balancer:*` rules of §9.1 that the matrix refers to. */
export const PolicyRule = {
  read: 'read',
  readGlobal: 'read-global',
  write: 'write',
  readQuota: 'read-quota',
  readQuotaGlobal: 'read-quota-global',
  writeQuota: 'write-quota',
  admin: 'admin',
} as const;
export type PolicyRule = (typeof PolicyRule)[keyof typeof PolicyRule];

export type ListScope = Readonly<{ all: true }> | Readonly<{ projectId: string }> | 'forbidden';

type Row = Partial<Record<PolicyAction, PolicyRule>>;

const crud = (read: PolicyRule, write: PolicyRule): Row => ({
  get_all: read,
  get_one: read,
  post: write,
  put: write,
  delete: write,
});
const STANDARD: Row = { ...crud('read', 'write'), 'get_all-global': 'read-global' };

/** §9.2; a missing cell is not allowed to anyone. */
const MATRIX: Readonly<Record<PolicyObject, Row>> = {
  loadbalancer: { ...STANDARD, get_stats: 'read', get_status: 'read', put_failover: 'admin' },
  listener: { ...STANDARD, get_stats: 'read' },
  pool: STANDARD,
  healthmonitor: STANDARD,
  l7policy: STANDARD,
  member: crud('read', 'write'),
  l7rule: crud('read', 'write'),
  quota: {
    get_all: 'read-quota',
    'get_all-global': 'read-quota-global',
    get_one: 'read-quota',
    put: 'write-quota',
    delete: 'write-quota',
    get_defaults: 'read-quota',
  },
  provider: { get_all: 'read' },
  'provider-flavor': { get_all: 'admin' },
  'provider-availability-zone': { get_all: 'admin' },
  flavor: { get_all: 'read', get_one: 'read', post: 'admin', put: 'admin', delete: 'admin' },
  'availability-zone': { get_all: 'read', get_one: 'read', post: 'admin', put: 'admin', delete: 'admin' },
  'flavor-profile': crud('admin', 'admin'),
  'availability-zone-profile': crud('admin', 'admin'),
  amphora: {
    get_all: 'admin',
    get_one: 'admin',
    delete: 'admin',
    put_config: 'admin',
    put_failover: 'admin',
    get_stats: 'admin',
  },
};

/** The oslo.policy name of a check, e.g. `os_load-balancer_api:loadbalancer:get_one`. */
export function policyName(object: PolicyObject, action: PolicyAction): string {
  return `os_load-balancer_api:${object}:${action}`;
}

export function ruleFor(object: PolicyObject, action: PolicyAction): PolicyRule | undefined {
  return MATRIX[object][action];
}

const has = (ctx: AuthContext, role: string): boolean => ctx.roles.includes(role);

/**
 * `load-balancer:admin` = is_admin (context_is_admin: `role:admin or role:load-balancer_admin`, deprecated
 * alternative) or `role:load-balancer_admin` or system-admin (`role:admin and system_scope:all`).
 */
export function isLoadBalancerAdmin(ctx: AuthContext): boolean {
  return has(ctx, 'admin') || has(ctx, 'load-balancer_admin');
}

/** Evaluates one §9.1 rule against the target's owning project. */
export function satisfies(ctx: AuthContext, rule: PolicyRule, targetProjectId: string | null): boolean {
  const owner = ctx.projectId !== null && ctx.projectId === targetProjectId;
  // observer_and_owner: new default needs `reader` on the project too; the deprecated alternative only
  // ownership, so with enforce_new_defaults=False ownership suffices. Likewise member_and_owner.
  const observerAndOwner = has(ctx, 'load-balancer_observer') && owner;
  const memberAndOwner = has(ctx, 'load-balancer_member') && owner;
  const globalObserver = has(ctx, 'load-balancer_global_observer') || (has(ctx, 'reader') && ctx.systemScope);
  const quotaAdmin = has(ctx, 'load-balancer_quota_admin');
  const admin = isLoadBalancerAdmin(ctx);
  switch (rule) {
    case 'read':
      return observerAndOwner || globalObserver || memberAndOwner || admin;
    case 'read-global':
      return globalObserver || admin;
    case 'write':
      return memberAndOwner || admin;
    case 'read-quota':
      return observerAndOwner || globalObserver || memberAndOwner || quotaAdmin || admin;
    case 'read-quota-global':
      return globalObserver || quotaAdmin || admin;
    case 'write-quota':
      return quotaAdmin || admin;
    case 'admin':
      return admin;
  }
}

/**
 * May the caller perform `action` on `object` owned by `targetProjectId`? Octavia's target is always
 * `{"project_id": …}`: the object's project (children: their load balancer's), or for objects owned by no
 * project (providers, flavors, amphorae…) the caller's own project, which is the default here.
 */
export function authorize(
  ctx: AuthContext,
  object: PolicyObject,
  action: PolicyAction,
  targetProjectId: string | null = ctx.projectId,
): boolean {
  const rule = ruleFor(object, action);
  return rule !== undefined && satisfies(ctx, rule, targetProjectId);
}

/**
 * Which rows a list may show (octavia `_auth_get_all`): everything (or the requested project) when
 * `get_all-global` passes; otherwise only the requested project or the caller's, if `get_all` allows it.
 */
export function listScope(ctx: AuthContext, object: PolicyObject, requestedProjectId?: string): ListScope {
  if (authorize(ctx, object, 'get_all-global', requestedProjectId ?? null)) {
    return requestedProjectId === undefined ? { all: true } : { projectId: requestedProjectId };
  }
  const projectId = requestedProjectId ?? ctx.projectId;
  if (projectId === null) return 'forbidden';
  return authorize(ctx, object, 'get_all', projectId) ? { projectId } : 'forbidden';
}
