import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createTestPki, opensslMissing, type TestPki } from '../../test/helpers/test-pki.ts';
import { crlSignedBy, parsePemCrl } from './crl.ts';

describe('CRLs', { skip: opensslMissing }, () => {
  let pki: TestPki;
  let other: TestPki;
  before(async () => {
    [pki, other] = await Promise.all([createTestPki(), createTestPki()]);
  });
  after(() => Promise.all([pki.remove(), other.remove()]));

  it('verifies a CRL against the CA that signed it and not against another CA', async () => {
    const crl = parsePemCrl(await pki.crl([await pki.client('revoked')]));
    assert.equal(crl.signatureAlgorithm, '1.2.840.113549.1.1.11');
    assert.equal(crlSignedBy(crl, new X509Certificate(pki.ca).publicKey), true);
    assert.equal(crlSignedBy(crl, new X509Certificate(other.ca).publicKey), false);
  });

  it('does not verify a CRL whose signed part was altered', async () => {
    const text = await pki.crl([]);
    const crl = parsePemCrl(text);
    const tbs = Buffer.from(crl.tbs);
    tbs[tbs.length - 1] ^= 1;
    assert.equal(crlSignedBy({ ...crl, tbs }, new X509Certificate(pki.ca).publicKey), false);
  });

  it('refuses a certificate, garbage and a truncated CRL as a CRL', async () => {
    const text = await pki.crl([]);
    assert.throws(() => parsePemCrl(pki.ca));
    assert.throws(() => parsePemCrl('-----BEGIN X509 CRL-----\nAAAA\n-----END X509 CRL-----'));
    const body = text.split('\n').slice(1, -2).join('');
    const cut = `-----BEGIN X509 CRL-----\n${body.slice(0, body.length / 2)}\n-----END X509 CRL-----`;
    assert.throws(() => parsePemCrl(cut));
  });
});
