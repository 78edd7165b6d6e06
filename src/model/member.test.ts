import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { explodedUpper, initialMemberOperatingStatus, planBatch, reservedAddress } from './member.ts';

describe('member rules (reference §6)', () => {
  it('refuses the metadata address as a member, in any spelling', () => {
    assert.equal(reservedAddress('169.254.169.254'), '169.254.169.254');
    assert.equal(reservedAddress('10.0.0.1'), undefined);
    assert.equal(reservedAddress('fe80::1', ['FE80::1']), 'FE80:0000:0000:0000:0000:0000:0000:0001');
  });

  it('renders IPv6 addresses the way Python exploded.upper() does', () => {
    assert.equal(explodedUpper('2001:db8::a'), '2001:0DB8:0000:0000:0000:0000:0000:000A');
  });

  it('starts members OFFLINE under a monitor and NO_MONITOR otherwise', () => {
    assert.equal(initialMemberOperatingStatus(true), 'OFFLINE');
    assert.equal(initialMemberOperatingStatus(false), 'NO_MONITOR');
  });
});

describe('batch member plan (reference §6.1)', () => {
  const existing = [
    { id: 'a', address: '10.0.0.1', protocolPort: 80 },
    { id: 'b', address: '10.0.0.2', protocolPort: 80 },
  ];

  it('matches by (address, protocol_port): creates new, updates present, deletes absent', () => {
    const plan = planBatch(
      existing,
      [
        { address: '10.0.0.1', protocolPort: 80 },
        { address: '10.0.0.1', protocolPort: 81 },
      ],
      false,
    );
    assert.deepEqual(plan.create, [{ address: '10.0.0.1', protocolPort: 81 }]);
    assert.deepEqual(
      plan.update.map((u) => u.id),
      ['a'],
    );
    assert.deepEqual(plan.remove, ['b']);
  });

  it('leaves absent members alone with additive_only', () => {
    assert.deepEqual(planBatch(existing, [], true), { create: [], update: [], remove: [] });
  });

  it('deletes every member for an empty list without additive_only', () => {
    assert.deepEqual(planBatch(existing, [], false).remove, ['a', 'b']);
  });
});
