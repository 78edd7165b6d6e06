// Table-driven tests of both Octavia RBAC policies: one row per role set × action × own/other project, and
// the list-scoping rule.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { RbacPolicyName } from '../config/config.ts';
import type { AuthContext } from './auth-context.ts';
import {
  ACTION_RULES,
  authorize,
  isLoadBalancerAdmin,
  listScope,
  type PolicyAction,
  type PolicyObject,
  policyName,
  RBAC_POLICIES,
} from './policy.ts';
import { referencedRules } from './policy-check.ts';

const OWN = 'project-own';
const OTHER = 'project-other';
const ADVANCED = RBAC_POLICIES.advanced;
const KEYSTONE = RBAC_POLICIES['keystone-default'];

function ctx(roles: string[], scope: 'project' | 'system' | 'unscoped' = 'project'): AuthContext {
  return {
    userId: 'u1',
    userName: 'alice',
    userDomainId: 'default',
    projectId: scope === 'project' ? OWN : null,
    projectName: scope === 'project' ? 'own' : null,
    systemScope: scope === 'system',
    roles,
    tokenExpiresAt: '2999-01-01T00:00:00.000Z',
  };
}

type Caller = { who: string; ctx: AuthContext };
const CALLERS = {
  admin: { who: 'a project-scoped admin', ctx: ctx(['admin']) },
  systemAdmin: { who: 'a system-scoped admin', ctx: ctx(['admin'], 'system') },
  lbAdmin: { who: 'a load-balancer_admin', ctx: ctx(['load-balancer_admin']) },
  lbMember: { who: 'a load-balancer_member', ctx: ctx(['load-balancer_member', 'member']) },
  lbMemberOnly: { who: 'a load-balancer_member without member', ctx: ctx(['load-balancer_member']) },
  lbObserver: { who: 'a load-balancer_observer', ctx: ctx(['load-balancer_observer', 'reader']) },
  globalObserver: { who: 'a load-balancer_global_observer', ctx: ctx(['load-balancer_global_observer']) },
  quotaAdmin: { who: 'a load-balancer_quota_admin', ctx: ctx(['load-balancer_quota_admin']) },
  memberOnly: { who: 'a user with only member', ctx: ctx(['member']) },
  systemReader: { who: 'a system-scoped reader', ctx: ctx(['reader'], 'system') },
  projectReader: { who: 'a project reader without load-balancer roles', ctx: ctx(['reader']) },
  service: { who: 'a service user', ctx: ctx(['service']) },
} as const satisfies Record<string, Caller>;
type CallerKey = keyof typeof CALLERS;

const ACTIONS: readonly (readonly [PolicyObject, PolicyAction])[] = [
  ['loadbalancer', 'get_one'],
  ['loadbalancer', 'get_all'],
  ['loadbalancer', 'get_all-global'],
  ['loadbalancer', 'post'],
  ['loadbalancer', 'put'],
  ['loadbalancer', 'delete'],
  ['loadbalancer', 'get_stats'],
  ['loadbalancer', 'put_failover'],
  ['member', 'get_all'],
  ['member', 'get_one'],
  ['member', 'put'],
  ['quota', 'get_one'],
  ['quota', 'put'],
  ['flavor', 'post'],
  ['amphora', 'get_all'],
];

// Expected [own project, other project] per action, in ACTIONS order. T = both, O = own only, F = neither.
// Columns: lb get_one, get_all, get_all-global, post, put, delete, get_stats, put_failover; member get_all,
// get_one, put; quota get_one, put; flavor post; amphora get_all.
type Cell = 'T' | 'O' | 'F';
const EXPECTED: Record<RbacPolicyName, Record<CallerKey, string>> = {
  advanced: {
    admin: '         T T T T T T T T  T T T  T T  T T',
    systemAdmin: '   T T T T T T T T  T T T  T T  T T',
    lbAdmin: '       T T T T T T T T  T T T  T T  T T',
    lbMember: '      O O F O O O O F  O O O  O F  F F',
    lbMemberOnly: '  O O F O O O O F  O O O  O F  F F',
    lbObserver: '    O O F F F F O F  O O F  O F  F F',
    globalObserver: 'T T T F F F T F  T T F  T F  F F',
    quotaAdmin: '    F F F F F F F F  F F F  T T  F F',
    memberOnly: '    F F F F F F F F  F F F  F F  F F',
    systemReader: '  T T T F F F T F  T T F  T F  F F',
    projectReader: ' F F F F F F F F  F F F  F F  F F',
    service: '       F F F F F F F F  T F F  F F  F F',
  },
  'keystone-default': {
    admin: '         T T T T T T T T  T T T  T T  T T',
    systemAdmin: '   T T T T T T T T  T T T  T T  T T',
    lbAdmin: '       F F F F F F F F  F F F  F F  F F',
    lbMember: '      O O F O O O O F  O O O  O F  F F',
    lbMemberOnly: '  F F F F F F F F  F F F  F F  F F',
    lbObserver: '    O O F F F F O F  O O F  O F  F F',
    globalObserver: 'F F F F F F F F  F F F  F F  F F',
    quotaAdmin: '    F F F F F F F F  F F F  F F  F F',
    memberOnly: '    O O F O O O O F  O O O  O F  F F',
    systemReader: '  F F F F F F F F  F F F  F F  F F',
    projectReader: ' O O F F F F O F  O O F  O F  F F',
    service: '       F F F F F F F F  T F F  F F  F F',
  },
};

for (const policy of [ADVANCED, KEYSTONE]) {
  describe(`Octavia ${policy.name} policy`, () => {
    for (const [key, caller] of Object.entries(CALLERS) as [CallerKey, Caller][]) {
      const cells = EXPECTED[policy.name][key].trim().split(/\s+/) as Cell[];
      assert.equal(cells.length, ACTIONS.length, `expectation row for ${key}`);
      ACTIONS.forEach(([object, action], index) => {
        const cell = cells[index];
        for (const [target, allowed, where] of [
          [OWN, cell !== 'F', 'in its own project'],
          [OTHER, cell === 'T', 'in another project'],
        ] as const) {
          const verb = allowed ? 'may' : 'may not';
          test(`${caller.who} ${verb} ${action} a ${object} ${where}`, () => {
            assert.equal(
              authorize(policy, caller.ctx, object, action, target),
              allowed,
              policyName(object, action),
            );
          });
        }
      });
    }

    test('nobody may post a quota, an action the matrix does not define', () => {
      assert.equal(authorize(policy, CALLERS.admin.ctx, 'quota', 'post', OWN), false);
    });

    test('an unscoped caller owns no project and may not read one', () => {
      const unscoped = ctx(['load-balancer_member', 'member', 'reader'], 'unscoped');
      assert.equal(authorize(policy, unscoped, 'loadbalancer', 'get_one', null), false);
    });

    test('defines every rule the action matrix refers to, directly or through other rules', () => {
      const pending = Object.values(ACTION_RULES).flatMap((row) =>
        Object.values(row).flatMap(referencedRules),
      );
      const seen = new Set<string>();
      while (pending.length > 0) {
        const name = pending.pop() as string;
        if (seen.has(name)) continue;
        seen.add(name);
        const check = policy.rules[name];
        assert.ok(check, `rule ${name} is not defined`);
        pending.push(...referencedRules(check));
      }
    });
  });
}

describe('flavors, whose target is the caller’s own project', () => {
  test('a load-balancer_member may list flavors under the advanced policy', () => {
    assert.equal(authorize(ADVANCED, CALLERS.lbMember.ctx, 'flavor', 'get_all'), true);
  });

  test('a plain reader may list flavors under the keystone-default policy, a load-balancer_member may not', () => {
    assert.equal(authorize(KEYSTONE, CALLERS.projectReader.ctx, 'flavor', 'get_all'), true);
    assert.equal(authorize(KEYSTONE, CALLERS.lbMemberOnly.ctx, 'flavor', 'get_all'), false);
  });
});

describe('list scoping', () => {
  const rows: readonly [
    string,
    RbacPolicyName,
    AuthContext,
    string | undefined,
    ReturnType<typeof listScope>,
  ][] = [
    ['an admin lists every project', 'advanced', CALLERS.admin.ctx, undefined, { all: true }],
    [
      'an admin asking for a project lists that project',
      'advanced',
      CALLERS.admin.ctx,
      OTHER,
      { projectId: OTHER },
    ],
    [
      'a global observer lists every project',
      'advanced',
      CALLERS.globalObserver.ctx,
      undefined,
      { all: true },
    ],
    ['a system reader lists every project', 'advanced', CALLERS.systemReader.ctx, undefined, { all: true }],
    [
      'a load-balancer_member lists only its own project',
      'advanced',
      CALLERS.lbMember.ctx,
      undefined,
      { projectId: OWN },
    ],
    [
      'a load-balancer_member may ask for its own project',
      'advanced',
      CALLERS.lbMember.ctx,
      OWN,
      { projectId: OWN },
    ],
    [
      'a load-balancer_member asking for another project is forbidden',
      'advanced',
      CALLERS.lbMember.ctx,
      OTHER,
      'forbidden',
    ],
    [
      'a load-balancer_observer lists only its own project',
      'advanced',
      CALLERS.lbObserver.ctx,
      undefined,
      { projectId: OWN },
    ],
    [
      'a user with only member is forbidden to list',
      'advanced',
      CALLERS.memberOnly.ctx,
      undefined,
      'forbidden',
    ],
    [
      'an unscoped caller without a project is forbidden',
      'advanced',
      ctx(['load-balancer_member'], 'unscoped'),
      undefined,
      'forbidden',
    ],
    [
      'keystone-default: an admin lists every project',
      'keystone-default',
      CALLERS.admin.ctx,
      undefined,
      { all: true },
    ],
    [
      'keystone-default: a plain member lists only its own project',
      'keystone-default',
      CALLERS.memberOnly.ctx,
      undefined,
      { projectId: OWN },
    ],
    [
      'keystone-default: a plain reader lists only its own project',
      'keystone-default',
      CALLERS.projectReader.ctx,
      undefined,
      { projectId: OWN },
    ],
    [
      'keystone-default: a member asking for another project is forbidden',
      'keystone-default',
      CALLERS.memberOnly.ctx,
      OTHER,
      'forbidden',
    ],
    [
      'keystone-default: a load-balancer_global_observer is forbidden to list',
      'keystone-default',
      CALLERS.globalObserver.ctx,
      undefined,
      'forbidden',
    ],
    [
      'keystone-default: a system reader, who owns no project, is forbidden to list',
      'keystone-default',
      CALLERS.systemReader.ctx,
      undefined,
      'forbidden',
    ],
  ];
  for (const [name, policy, caller, requested, expected] of rows) {
    test(name, () =>
      assert.deepEqual(listScope(RBAC_POLICIES[policy], caller, 'loadbalancer', requested), expected),
    );
  }

  test('a quota admin lists every project quota under advanced, only an admin under keystone-default', () => {
    assert.deepEqual(listScope(ADVANCED, CALLERS.quotaAdmin.ctx, 'quota'), { all: true });
    assert.deepEqual(listScope(KEYSTONE, CALLERS.quotaAdmin.ctx, 'quota'), 'forbidden');
    assert.deepEqual(listScope(KEYSTONE, CALLERS.admin.ctx, 'quota'), { all: true });
  });
});

describe("Sluice's own admin APIs", () => {
  test('admin and load-balancer_admin are admins, whatever the Octavia policy', () => {
    assert.equal(isLoadBalancerAdmin(CALLERS.admin.ctx), true);
    assert.equal(isLoadBalancerAdmin(CALLERS.lbAdmin.ctx), true);
    assert.equal(isLoadBalancerAdmin(CALLERS.lbMember.ctx), false);
  });
});
