// Octavia's RBAC: which rule guards each object × action (the same in every policy), the two policies Sluice
// offers (`--rbac`), and the decisions over an AuthContext, plus the list-scoping rule.
import type { RbacPolicyName } from '../config/config.ts';
import type { AuthContext } from './auth-context.ts';
import { ADVANCED_RULES } from './policy-advanced.ts';
import { any, type Check, passes, type RuleTable, rule } from './policy-check.ts';
import { KEYSTONE_DEFAULT_RULES } from './policy-keystone-default.ts';

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

/** An RBAC policy: the named rules the action matrix refers to. */
export type RbacPolicy = Readonly<{ name: RbacPolicyName; rules: RuleTable }>;

export const RBAC_POLICIES: Readonly<Record<RbacPolicyName, RbacPolicy>> = {
  advanced: { name: 'advanced', rules: ADVANCED_RULES },
  'keystone-default': { name: 'keystone-default', rules: KEYSTONE_DEFAULT_RULES },
};

type Row = Partial<Record<PolicyAction, Check>>;

const READ = rule('load-balancer:read');
const WRITE = rule('load-balancer:write');
const ADMIN = rule('load-balancer:admin');
const READ_QUOTA = rule('load-balancer:read-quota');
const WRITE_QUOTA = rule('load-balancer:write-quota');

const crud = (read: Check, write: Check): Row => ({
  get_all: read,
  get_one: read,
  post: write,
  put: write,
  delete: write,
});
const STANDARD: Row = { ...crud(READ, WRITE), 'get_all-global': rule('load-balancer:read-global') };

/**
 * The defaults of octavia/policies/<object>.py; a missing cell is allowed to nobody. Members are listed
 * by `read or service` (constants.RULE_MEMBER_API_READ: Aodh's service user evaluates pool members).
 */
export const ACTION_RULES: Readonly<Record<PolicyObject, Row>> = {
  loadbalancer: { ...STANDARD, get_stats: READ, get_status: READ, put_failover: ADMIN },
  listener: { ...STANDARD, get_stats: READ },
  pool: STANDARD,
  healthmonitor: STANDARD,
  l7policy: STANDARD,
  member: { ...crud(READ, WRITE), get_all: any(READ, rule('service')) },
  l7rule: crud(READ, WRITE),
  quota: {
    get_all: READ_QUOTA,
    'get_all-global': rule('load-balancer:read-quota-global'),
    get_one: READ_QUOTA,
    put: WRITE_QUOTA,
    delete: WRITE_QUOTA,
    get_defaults: READ_QUOTA,
  },
  provider: { get_all: READ },
  'provider-flavor': { get_all: ADMIN },
  'provider-availability-zone': { get_all: ADMIN },
  flavor: { get_all: READ, get_one: READ, post: ADMIN, put: ADMIN, delete: ADMIN },
  'availability-zone': { get_all: READ, get_one: READ, post: ADMIN, put: ADMIN, delete: ADMIN },
  'flavor-profile': crud(ADMIN, ADMIN),
  'availability-zone-profile': crud(ADMIN, ADMIN),
  amphora: {
    get_all: ADMIN,
    get_one: ADMIN,
    delete: ADMIN,
    put_config: ADMIN,
    put_failover: ADMIN,
    get_stats: ADMIN,
  },
};

export type ListScope = Readonly<{ all: true }> | Readonly<{ projectId: string }> | 'forbidden';

/** The oslo.policy name of a check, e.g. `os_load-balancer_api:loadbalancer:get_one`. */
export function policyName(object: PolicyObject, action: PolicyAction): string {
  return `os_load-balancer_api:${object}:${action}`;
}

/**
 * `load-balancer:admin` of the advanced policy (admin or load-balancer_admin): who may use Sluice's own
 * admin APIs, which no Octavia policy covers.
 */
export function isLoadBalancerAdmin(ctx: AuthContext): boolean {
  return passes(ADVANCED_RULES, rule('load-balancer:admin'), ctx, null);
}

/**
 * May the caller perform `action` on `object` owned by `targetProjectId` under `policy`? Octavia's target is
 * always `{"project_id": …}`: the object's project (children: their load balancer's), or for objects owned
 * by no project (providers, flavors, amphorae…) the caller's own project, which is the default here.
 */
export function authorize(
  policy: RbacPolicy,
  ctx: AuthContext,
  object: PolicyObject,
  action: PolicyAction,
  targetProjectId: string | null = ctx.projectId,
): boolean {
  const check = ACTION_RULES[object][action];
  return check !== undefined && passes(policy.rules, check, ctx, targetProjectId);
}

/**
 * Which rows a list may show (octavia/api/v2/controllers/base.py `_auth_get_all`): everything (or the
 * requested project) when `get_all-global` passes; otherwise only the requested project or the caller's,
 * if `get_all` allows it.
 */
export function listScope(
  policy: RbacPolicy,
  ctx: AuthContext,
  object: PolicyObject,
  requestedProjectId?: string,
): ListScope {
  if (authorize(policy, ctx, object, 'get_all-global', requestedProjectId ?? null)) {
    return requestedProjectId === undefined ? { all: true } : { projectId: requestedProjectId };
  }
  const projectId = requestedProjectId ?? ctx.projectId;
  if (projectId === null) return 'forbidden';
  return authorize(policy, ctx, object, 'get_all', projectId) ? { projectId } : 'forbidden';
}
