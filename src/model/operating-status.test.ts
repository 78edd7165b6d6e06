import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { operatingStatuses, type StatusInputs } from './operating-status.ts';
import type { ProviderReport } from './provider-driver.ts';

const counters = { bytesIn: 0, bytesOut: 0, activeConnections: 0, totalConnections: 0, requestErrors: 0 };
const inputs: StatusInputs = {
  loadBalancer: { adminStateUp: true, provisioningStatus: 'ACTIVE' },
  listeners: [{ id: 'l1', adminStateUp: true }],
  pools: [{ id: 'p1' }],
  members: [
    { id: 'm1', poolId: 'p1', operatingStatus: 'OFFLINE' },
    { id: 'm2', poolId: 'p1', operatingStatus: 'OFFLINE' },
  ],
};
const report = (
  pool: ProviderReport['pools'][string],
  listener: 'OPEN' | 'FULL' = 'OPEN',
): ProviderReport => ({
  listeners: { l1: { status: listener, counters } },
  pools: { p1: pool },
});

describe('operating status roll-up (reference §11.2)', () => {
  it('reports everything ONLINE when every member is up', () => {
    const out = operatingStatuses(inputs, report({ status: 'UP', members: { m1: 'UP', m2: 'UP' } }));
    assert.equal(out.loadBalancer, 'ONLINE');
    assert.equal(out.listeners.get('l1'), 'ONLINE');
    assert.equal(out.pools.get('p1'), 'ONLINE');
    assert.equal(out.members.get('m1'), 'ONLINE');
  });

  it('turns a down member ERROR and degrades its pool and the load balancer', () => {
    const out = operatingStatuses(inputs, report({ status: 'UP', members: { m1: 'UP', m2: 'DOWN' } }));
    assert.equal(out.members.get('m2'), 'ERROR');
    assert.equal(out.pools.get('p1'), 'DEGRADED');
    assert.equal(out.loadBalancer, 'DEGRADED');
  });

  it('turns a pool with no member up ERROR, and the load balancer with it', () => {
    const out = operatingStatuses(inputs, report({ status: 'DOWN', members: { m1: 'DOWN', m2: 'DOWN' } }));
    assert.equal(out.pools.get('p1'), 'ERROR');
    assert.equal(out.loadBalancer, 'ERROR');
  });

  it('maps drain, maintenance and unmonitored members', () => {
    const out = operatingStatuses(inputs, report({ status: 'UP', members: { m1: 'DRAIN', m2: 'MAINT' } }));
    assert.equal(out.members.get('m1'), 'DRAINING');
    assert.equal(out.members.get('m2'), 'OFFLINE');
    const unmonitored = operatingStatuses(
      inputs,
      report({ status: 'UP', members: { m1: 'no check', m2: 'no check' } }),
    );
    assert.equal(unmonitored.members.get('m1'), 'NO_MONITOR');
  });

  it('degrades a listener at its connection limit, and the load balancer', () => {
    const out = operatingStatuses(inputs, report({ status: 'UP', members: { m1: 'UP', m2: 'UP' } }, 'FULL'));
    assert.equal(out.listeners.get('l1'), 'DEGRADED');
    assert.equal(out.loadBalancer, 'DEGRADED');
  });

  it('marks an enabled listener missing from the report ERROR, a disabled one OFFLINE', () => {
    const both = {
      ...inputs,
      listeners: [...inputs.listeners, { id: 'l2', adminStateUp: false }, { id: 'l3', adminStateUp: true }],
    };
    const out = operatingStatuses(both, report({ status: 'UP', members: {} }));
    assert.equal(out.listeners.get('l2'), 'OFFLINE');
    assert.equal(out.listeners.get('l3'), 'ERROR');
  });

  it('marks a pool no listener serves OFFLINE, keeping unmonitored members NO_MONITOR', () => {
    const withUnmonitored = {
      ...inputs,
      members: [{ id: 'm1', poolId: 'p1', operatingStatus: 'NO_MONITOR' }],
    };
    const out = operatingStatuses(withUnmonitored, { listeners: {}, pools: {} });
    assert.equal(out.pools.get('p1'), 'OFFLINE');
    assert.equal(out.members.get('m1'), 'NO_MONITOR');
  });

  it('starts a disabled load balancer OFFLINE', () => {
    const off = { ...inputs, loadBalancer: { adminStateUp: false, provisioningStatus: 'ACTIVE' } };
    assert.equal(operatingStatuses(off, { listeners: {}, pools: {} }).loadBalancer, 'OFFLINE');
  });
});
