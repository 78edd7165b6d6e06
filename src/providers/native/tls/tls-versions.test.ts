// tls_versions as Node's single version range.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { tlsVersionRange } from './tls-versions.ts';

it('spans the listed versions in any order, defaulting to TLSv1.2 and TLSv1.3', () => {
  assert.deepEqual(tlsVersionRange([]), { minVersion: 'TLSv1.2', maxVersion: 'TLSv1.3' });
  assert.deepEqual(tlsVersionRange(['TLSv1.3']), { minVersion: 'TLSv1.3', maxVersion: 'TLSv1.3' });
  assert.deepEqual(tlsVersionRange(['TLSv1.2', 'TLSv1', 'TLSv1.1']), {
    minVersion: 'TLSv1',
    maxVersion: 'TLSv1.2',
  });
});

it('refuses a set with a gap, SSLv3 and unknown names with a reason', () => {
  assert.deepEqual(tlsVersionRange(['TLSv1', 'TLSv1.3']), {
    unsupported: 'tls_versions TLSv1, TLSv1.3 (a gap between versions: Node.js enables one range)',
  });
  assert.deepEqual(tlsVersionRange(['SSLv3']), { unsupported: 'tls_versions SSLv3 (Node.js has no SSLv3)' });
  assert.deepEqual(tlsVersionRange(['TLSv2']), { unsupported: 'tls_versions TLSv2' });
});
