// tls_ciphers as Node's `ciphers` option.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { DEFAULT_CIPHERS } from 'node:tls';
import { nodeCiphers } from './tls-ciphers.ts';

const TLS13 = DEFAULT_CIPHERS.split(':').filter((c) => c.startsWith('TLS_'));

it("keeps Node's defaults without tls_ciphers", () => {
  assert.equal(nodeCiphers(null), undefined);
  assert.equal(nodeCiphers(''), undefined);
});

it('keeps the default TLS 1.3 suites when the string names only TLS 1.2 ciphers, as HAProxy `ciphers` does', () => {
  assert.equal(
    nodeCiphers('ECDHE-RSA-AES128-GCM-SHA256'),
    ['ECDHE-RSA-AES128-GCM-SHA256', ...TLS13].join(':'),
  );
});

it('takes TLS 1.3 suites named in the string as the TLS 1.3 suites', () => {
  assert.equal(
    nodeCiphers('ECDHE-RSA-AES128-GCM-SHA256:TLS_AES_128_GCM_SHA256'),
    'ECDHE-RSA-AES128-GCM-SHA256:TLS_AES_128_GCM_SHA256',
  );
});
