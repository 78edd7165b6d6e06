// Behaviour of plan computation: creation order for a new stack, nothing for an identical live state,
// only differing fields on update, deletes of what the stack no longer names, policy positions, immutables.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseStack, type Stack } from './stack-document.ts';
import type { StackObject } from './stack-fields.ts';
import { computePlan, renderPlan } from './stack-plan.ts';

const FILE = `
loadbalancer:
  name: shop
  vip_subnet: public-subnet
  listeners:
    - name: http
      protocol: HTTP
      protocol_port: 80
      default_pool: web
      l7policies:
        - name: api
          action: REDIRECT_TO_POOL
          redirect_pool: web
          rules:
            - {type: PATH, compare_type: STARTS_WITH, value: /api}
  pools:
    - name: web
      protocol: HTTP
      lb_algorithm: ROUND_ROBIN
      members:
        - {address: 127.0.0.1, protocol_port: 81}
      healthmonitor: {type: TCP, delay: 5, timeout: 3, max_retries: 3}
`;

/** What reading the live state returns once FILE is applied: every field as Octavia answers it, with ids. */
function liveOf(stack: Stack): Stack {
  const lb = stack.loadbalancer;
  const pool = (lb.pools as StackObject[])[0];
  const listener = (lb.listeners as StackObject[])[0];
  const policy = (listener.l7policies as StackObject[])[0];
  return {
    loadbalancer: {
      id: 'lb1',
      name: 'shop',
      description: '',
      vip_subnet: 'public-subnet',
      admin_state_up: true,
      pools: [
        {
          id: 'p1',
          name: 'web',
          description: '',
          protocol: 'HTTP',
          lb_algorithm: 'ROUND_ROBIN',
          session_persistence: null,
          admin_state_up: true,
          members: [
            {
              id: 'm1',
              name: '',
              address: '127.0.0.1',
              protocol_port: 81,
              weight: 1,
              backup: false,
              monitor_address: null,
              monitor_port: null,
              admin_state_up: true,
            },
          ],
          healthmonitor: {
            id: 'h1',
            name: '',
            ...(pool.healthmonitor as StackObject),
            max_retries_down: 3,
            http_method: null,
            url_path: null,
            expected_codes: null,
            admin_state_up: true,
          },
        },
      ],
      listeners: [
        {
          id: 'l1',
          name: 'http',
          description: '',
          protocol: 'HTTP',
          protocol_port: 80,
          default_pool: 'web',
          connection_limit: -1,
          timeout_client_data: 50000,
          timeout_member_connect: 5000,
          timeout_member_data: 50000,
          timeout_tcp_inspect: 0,
          insert_headers: {},
          admin_state_up: true,
          l7policies: [
            {
              id: 'po1',
              name: 'api',
              description: '',
              action: 'REDIRECT_TO_POOL',
              redirect_pool: 'web',
              redirect_url: null,
              redirect_prefix: null,
              redirect_http_code: null,
              admin_state_up: true,
              position: 1,
              rules: [
                {
                  id: 'r1',
                  ...(policy.rules as StackObject[])[0],
                  key: null,
                  invert: false,
                  admin_state_up: true,
                },
              ],
            },
          ],
        },
      ],
    },
  };
}

const summary = (stack: Stack, live: Stack | null) =>
  computePlan(stack, live).map(
    (s) => `${s.op} ${s.label}${s.changes.length ? ` ${JSON.stringify(s.fields)}` : ''}`,
  );

describe('computePlan', () => {
  it('creates a new stack in dependency order: load balancer, pools with members and monitor, listeners, policies, rules', () => {
    assert.deepEqual(summary(parseStack(FILE), null), [
      'create load balancer shop',
      'create pool web',
      'create member 127.0.0.1:81 of pool web',
      'create health monitor of pool web',
      'create listener http',
      'create L7 policy api of listener http',
      'create L7 rule PATH STARTS_WITH "/api" of L7 policy api of listener http',
    ]);
    const policy = computePlan(parseStack(FILE), null).find((s) => s.kind === 'l7policy');
    assert.equal(policy?.fields.position, 1);
  });

  it('plans nothing when the live state already matches, and says so', () => {
    const stack = parseStack(FILE);
    const steps = computePlan(stack, liveOf(stack));
    assert.deepEqual(steps, []);
    assert.equal(renderPlan(steps), 'no changes\n');
  });

  it('updates only the differing fields, puts left-out fields back to their defaults, and deletes what is gone', () => {
    const stack = parseStack(FILE);
    const live = liveOf(stack);
    const livePool = (live.loadbalancer.pools as StackObject[])[0];
    (livePool.members as StackObject[])[0].weight = 7;
    (live.loadbalancer.pools as StackObject[]).push({
      id: 'p2',
      name: 'old',
      protocol: 'HTTP',
      lb_algorithm: 'ROUND_ROBIN',
    });
    const changed = parseStack(
      FILE.replace('protocol_port: 80', 'protocol_port: 80\n      connection_limit: 10'),
    );
    const steps = computePlan(changed, live);
    assert.deepEqual(
      steps.map((s) => [s.op, s.label, s.fields]),
      [
        ['update', 'member 127.0.0.1:81 of pool web', { weight: 1 }],
        ['update', 'listener http', { connection_limit: 10 }],
        ['delete', 'pool old', {}],
      ],
    );
    assert.equal(
      renderPlan(steps),
      [
        '~ update member 127.0.0.1:81 of pool web: weight: 7 → 1',
        '~ update listener http: connection_limit: -1 → 10',
        '- delete pool old',
        '3 changes',
        '',
      ].join('\n'),
    );
  });

  it('replaces a health monitor whose type changes and refuses to change a listener port in place', () => {
    const stack = parseStack(FILE);
    const live = liveOf(stack);
    const http = parseStack(FILE.replace('type: TCP', 'type: HTTP'));
    assert.deepEqual(summary(http, live), [
      'delete health monitor of pool web',
      'create health monitor of pool web',
    ]);
    assert.throws(
      () => computePlan(parseStack(FILE.replace('protocol_port: 80', 'protocol_port: 81')), live),
      {
        message:
          'listener http: protocol_port cannot change in place (80 → 81); give the new one another name to replace it',
      },
    );
  });

  it('matches rules and members by what they are, not by the order Octavia happens to list them in', () => {
    const two = FILE.replace(
      '            - {type: PATH, compare_type: STARTS_WITH, value: /api}',
      '            - {type: PATH, compare_type: STARTS_WITH, value: /api}\n            - {type: HEADER, key: X-A, compare_type: EQUAL_TO, value: b}',
    );
    const stack = parseStack(two);
    const live = liveOf(stack);
    const policy = ((live.loadbalancer.listeners as StackObject[])[0].l7policies as StackObject[])[0];
    policy.rules = [
      {
        id: 'r2',
        type: 'HEADER',
        compare_type: 'EQUAL_TO',
        key: 'X-A',
        value: 'b',
        invert: false,
        admin_state_up: true,
      },
      ...(policy.rules as StackObject[]),
    ];
    assert.deepEqual(computePlan(stack, live), []);
    const inverted = parseStack(two.replace('value: b}', 'value: b, invert: true}'));
    assert.deepEqual(summary(inverted, live), [
      'delete L7 rule HEADER X-A EQUAL_TO "b" of L7 policy api of listener http',
      'create L7 rule NOT HEADER X-A EQUAL_TO "b" of L7 policy api of listener http',
    ]);
  });

  it('refuses to guess between two live objects the stack cannot tell apart', () => {
    const stack = parseStack(FILE);
    const live = liveOf(stack);
    const pools = live.loadbalancer.pools as StackObject[];
    pools.push({ ...pools[0], id: 'p9' });
    assert.throws(() => computePlan(stack, live), {
      message: 'the live load balancer has two pools named web: rename or delete one first',
    });
  });

  it('moves only the policies whose place changes when one is inserted before them', () => {
    const stack = parseStack(FILE);
    const live = liveOf(stack);
    const inserted = parseStack(
      FILE.replace(
        '        - name: api',
        '        - name: deny\n          action: REJECT\n        - name: api',
      ),
    );
    const steps = computePlan(inserted, live);
    assert.deepEqual(
      steps.map((s) => [s.op, s.label, s.fields.position]),
      [['create', 'L7 policy deny of listener http', 1]],
    );
  });
});
