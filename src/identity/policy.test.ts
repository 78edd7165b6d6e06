// Table-driven tests of the Octavia default policy: one row per role × action × own/other project, and
// the list-scoping rule.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { AuthContext } from './auth-context.ts';
import { authorize, listScope, type PolicyAction, type PolicyObject, policyName } from './policy.ts';

const OWN = 'project-own';
const OTHER = 'project-other';

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
  lbObserver: { who: 'a load-balancer_observer', ctx: ctx(['load-balancer_observer', 'reader']) },
  globalObserver: { who: 'a load-balancer_global_observer', ctx: ctx(['load-balancer_global_observer']) },
  quotaAdmin: { who: 'a load-balancer_quota_admin', ctx: ctx(['load-balancer_quota_admin']) },
  memberOnly: { who: 'a user with only member', ctx: ctx(['member']) },
  systemReader: { who: 'a system-scoped reader', ctx: ctx(['reader'], 'system') },
  projectReader: { who: 'a project reader without load-balancer roles', ctx: ctx(['reader']) },
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
  ['member', 'get_one'],
  ['member', 'put'],
  ['quota', 'get_one'],
  ['quota', 'put'],
  ['flavor', 'post'],
  ['amphora', 'get_all'],
];

// Expected [own project, other project] per action, in ACTIONS order. T = both, O = own only, F = neither.
type Cell = 'T' | 'O' | 'F';
const EXPECTED: Record<CallerKey, string> = {
  // Columns: lb get_one, get_all, get_all-global, post, put, delete, get_stats, put_failover; member get_one,
  // put; quota get_one, put; flavor post; amphora get_all.
  admin: 'T T T T T T T T T T T T T T',
  systemAdmin: 'T T T T T T T T T T T T T T',
  lbAdmin: 'T T T T T T T T T T T T T T',
  lbMember: 'O O F O O O O F O O O F F F',
  lbObserver: 'O O F F F F O F O F O F F F',
  globalObserver: 'T T T F F F T F T F T F F F',
  quotaAdmin: 'F F F F F F F F F F T T F F',
  memberOnly: 'F F F F F F F F F F F F F F',
  systemReader: 'T T T F F F T F T F T F F F',
  projectReader: 'F F F F F F F F F F F F F F',
};

describe('Octavia default policy', () => {
  for (const [key, caller] of Object.entries(CALLERS) as [CallerKey, Caller][]) {
    const cells = EXPECTED[key].trim().split(/\s+/) as Cell[];
    assert.equal(cells.length, ACTIONS.length, `expectation row for ${key}`);
    ACTIONS.forEach(([object, action], index) => {
      const cell = cells[index];
      for (const [target, allowed, where] of [
        [OWN, cell !== 'F', 'in its own project'],
        [OTHER, cell === 'T', 'in another project'],
      ] as const) {
        const verb = allowed ? 'may' : 'may not';
        test(`${caller.who} ${verb} ${action} a ${object} ${where}`, () => {
          assert.equal(authorize(caller.ctx, object, action, target), allowed, policyName(object, action));
        });
      }
    });
  }

  test('nobody may post a quota, an action the matrix does not define', () => {
    assert.equal(authorize(CALLERS.admin.ctx, 'quota', 'post', OWN), false);
  });

  test('an unscoped load-balancer_member owns no project and may not read one', () => {
    assert.equal(
      authorize(ctx(['load-balancer_member'], 'unscoped'), 'loadbalancer', 'get_one', null),
      false,
    );
  });

  test('a load-balancer_member may list flavors, whose target is its own project', () => {
    assert.equal(authorize(CALLERS.lbMember.ctx, 'flavor', 'get_all'), true);
  });
});

describe('list scoping', () => {
  const rows: readonly [string, AuthContext, string | undefined, ReturnType<typeof listScope>][] = [
    ['an admin lists every project', CALLERS.admin.ctx, undefined, { all: true }],
    ['an admin asking for a project lists that project', CALLERS.admin.ctx, OTHER, { projectId: OTHER }],
    ['a global observer lists every project', CALLERS.globalObserver.ctx, undefined, { all: true }],
    ['a system reader lists every project', CALLERS.systemReader.ctx, undefined, { all: true }],
    [
      'a load-balancer_member lists only its own project',
      CALLERS.lbMember.ctx,
      undefined,
      { projectId: OWN },
    ],
    ['a load-balancer_member may ask for its own project', CALLERS.lbMember.ctx, OWN, { projectId: OWN }],
    [
      'a load-balancer_member asking for another project is forbidden',
      CALLERS.lbMember.ctx,
      OTHER,
      'forbidden',
    ],
    [
      'a load-balancer_observer lists only its own project',
      CALLERS.lbObserver.ctx,
      undefined,
      { projectId: OWN },
    ],
    ['a user with only member is forbidden to list', CALLERS.memberOnly.ctx, undefined, 'forbidden'],
    [
      'an unscoped caller without a project is forbidden',
      ctx(['load-balancer_member'], 'unscoped'),
      undefined,
      'forbidden',
    ],
  ];
  for (const [name, caller, requested, expected] of rows) {
    test(name, () => assert.deepEqual(listScope(caller, 'loadbalancer', requested), expected));
  }

  test('a quota admin lists every project quota', () => {
    assert.deepEqual(listScope(CALLERS.quotaAdmin.ctx, 'quota'), { all: true });
  });
});
