import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createTestPki, opensslMissing, type TestPki } from './test-pki.ts';

describe('the test PKI', { skip: opensslMissing }, () => {
  let pki: TestPki;
  before(async () => {
    pki = await createTestPki();
  });
  after(() => pki.remove());

  it('issues a server certificate for its names, signed by the CA', async () => {
    const issued = await pki.server(['www.example.test', 'api.example.test']);
    const cert = new X509Certificate(issued.certificate);
    assert.equal(cert.subjectAltName, 'DNS:www.example.test, DNS:api.example.test');
    assert.ok(cert.verify(new X509Certificate(pki.ca).publicKey));
    assert.match(issued.privateKey, /BEGIN PRIVATE KEY/);
    const key = new X509Certificate(issued.certificate).publicKey;
    assert.deepEqual([key.asymmetricKeyType, key.asymmetricKeyDetails?.modulusLength], ['rsa', 2048]);
  });

  it('issues a server certificate with an ECDSA P-256 key when asked', async () => {
    const issued = await pki.server(['ec.example.test'], 30, 'ec-p256');
    const key = new X509Certificate(issued.certificate).publicKey;
    assert.deepEqual([key.asymmetricKeyType, key.asymmetricKeyDetails?.namedCurve], ['ec', 'prime256v1']);
    assert.ok(new X509Certificate(issued.certificate).verify(new X509Certificate(pki.ca).publicKey));
  });

  it('revokes a client certificate in a CRL and bundles PKCS#12 with an empty password', async () => {
    const client = await pki.client('alice');
    assert.match(await pki.crl([client]), /BEGIN X509 CRL/);
    const p12 = await pki.pkcs12(await pki.server(['p12.example.test']));
    assert.equal(p12[0], 0x30, 'a DER SEQUENCE');
  });
});
