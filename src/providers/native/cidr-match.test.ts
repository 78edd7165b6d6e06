import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cidrMatcher } from './cidr-match.ts';

describe('cidrMatcher', () => {
  it('admits every client when the sources are null (no filter)', () => {
    const allowed = cidrMatcher(null);
    assert.ok(allowed('127.0.0.1') && allowed('::1') && allowed('::ffff:10.0.0.1'));
  });

  it('admits nobody when the list is empty (VIP security groups without a matching rule)', () => {
    const allowed = cidrMatcher([]);
    assert.ok(!allowed('127.0.0.1') && !allowed('::1'));
  });

  it('admits only clients inside a listed prefix, IPv4-mapped clients by their IPv4 form', () => {
    const allowed = cidrMatcher(['127.0.0.0/8', '2001:db8::/32', '10.1.2.3']);
    assert.ok(
      allowed('127.9.9.9') && allowed('::ffff:127.0.0.1') && allowed('2001:db8::5') && allowed('10.1.2.3'),
    );
    assert.ok(!allowed('10.1.2.4') && !allowed('192.0.2.1') && !allowed('2001:db9::1'));
  });
});
