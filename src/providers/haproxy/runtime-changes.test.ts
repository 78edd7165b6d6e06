// Which changes go through HAProxy's runtime API instead of a reload (pure planning, no process).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DesiredLoadBalancer, DesiredMember, DesiredPool } from '../../model/desired-state.ts';
import { listener, loadBalancer, member, monitor, pool } from './haproxy-test-fixtures.ts';
import { renderHaproxyConfig } from './render-config.ts';
import { planRuntimeChanges } from './runtime-changes.ts';

const paths = {
  statsSocket: '/s',
  serverStateFile: '/f',
  pingScript: '/p',
  tlsDir: '/t',
  metricsSocket: '/m',
};
const render = (d: DesiredLoadBalancer) => renderHaproxyConfig(d, { paths });
const m1 = member('m1', '10.0.0.1', 80);
const m2 = member('m2', '10.0.0.2', 80);
const lb = (members: DesiredMember[], extra: Partial<DesiredPool> = {}) =>
  loadBalancer(
    'lb',
    '127.0.0.1',
    [listener('l1', 80, { defaultPoolId: 'p1' }), listener('l2', 81, { defaultPoolId: 'p1' })],
    [pool('p1', members, extra)],
  );
const plan = (before: DesiredLoadBalancer, after: DesiredLoadBalancer) =>
  planRuntimeChanges(before, after, render);

describe('haproxy runtime-change planning', () => {
  it('sets a changed weight on the server in every backend of the pool', () => {
    assert.deepEqual(plan(lb([m1, m2]), lb([{ ...m1, weight: 5 }, m2])), [
      'set server p1:l1/m1 weight 5',
      'set server p1:l2/m1 weight 5',
    ]);
  });

  it('puts an admin-down member in maintenance and an admin-up one back to ready', () => {
    const down = lb([{ ...m1, adminStateUp: false }, m2]);
    assert.deepEqual(plan(lb([m1, m2]), down), [
      'set server p1:l1/m1 state maint',
      'set server p1:l2/m1 state maint',
    ]);
    assert.deepEqual(plan(down, lb([m1, m2])), [
      'set server p1:l1/m1 state ready',
      'set server p1:l2/m1 state ready',
    ]);
  });

  it('adds a member with add server, enabling its health check and the server', () => {
    const checked = { healthMonitor: monitor('hm', { type: 'TCP' }) };
    assert.deepEqual(plan(lb([m1], checked), lb([m1, m2], checked)), [
      'add server p1:l1/m2 10.0.0.2:80 weight 1 check inter 5s fall 3 rise 2',
      'enable health p1:l1/m2',
      'enable server p1:l1/m2',
      'add server p1:l2/m2 10.0.0.2:80 weight 1 check inter 5s fall 3 rise 2',
      'enable health p1:l2/m2',
      'enable server p1:l2/m2',
    ]);
  });

  it('needs a reload to add a member to a backend without a dynamic algorithm or with cookie persistence', () => {
    assert.equal(
      plan(lb([m1], { lbAlgorithm: 'SOURCE_IP' }), lb([m1, m2], { lbAlgorithm: 'SOURCE_IP' })),
      undefined,
    );
    const cookie = {
      sessionPersistence: {
        type: 'HTTP_COOKIE',
        cookieName: null,
        persistenceTimeout: null,
        persistenceGranularity: null,
      },
    };
    assert.equal(plan(lb([m1], cookie), lb([m1, m2], cookie)), undefined);
  });

  it('needs a reload to remove a member or change anything but weight and admin state', () => {
    assert.equal(plan(lb([m1, m2]), lb([m1])), undefined);
    assert.equal(plan(lb([m1]), lb([{ ...m1, protocolPort: 81 }])), undefined);
    assert.equal(plan(lb([m1]), lb([{ ...m1, backup: true }])), undefined);
    assert.equal(plan(lb([m1]), lb([m1], { lbAlgorithm: 'LEAST_CONNECTIONS' })), undefined);
  });

  it('plans nothing for a document that renders the same', () => {
    assert.deepEqual(plan(lb([m1]), { ...lb([m1]), revision: 7 }), []);
  });
});
