import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  createTestPki,
  type IssuedCertificate,
  opensslMissing,
  type TestPki,
} from '../../test/helpers/test-pki.ts';
import {
  CertificateError,
  hostNamesOf,
  MISSING_CERT_SUBJECT,
  parsePemCertificates,
  parsePemPrivateKey,
  toPemCertificate,
} from './pem-certificate.ts';

describe('PEM certificates', { skip: opensslMissing }, () => {
  let pki: TestPki;
  let server: IssuedCertificate;
  before(async () => {
    pki = await createTestPki();
    server = await pki.server(['www.example.test', '*.api.example.test'], 10);
  });
  after(() => pki.remove());

  it('serves its SAN DNS names and expires when the certificate says', () => {
    const [leaf] = parsePemCertificates(server.certificate);
    const pem = toPemCertificate(leaf, parsePemPrivateKey(server.privateKey), parsePemCertificates(pki.ca));
    assert.deepEqual(pem.names, ['www.example.test', '*.api.example.test']);
    assert.equal(pem.notAfter, leaf.validToDate.toISOString());
    assert.ok(Date.parse(pem.notAfter) - Date.now() > 9 * 86_400_000);
    assert.deepEqual(pem.intermediates, [parsePemCertificates(pki.ca)[0].toString()]);
    assert.match(pem.privateKey, /^-----BEGIN PRIVATE KEY-----/);
  });

  it('serves the subject CN of a certificate without SAN DNS names (the client certificate)', async () => {
    const client = await pki.client('only-a-cn.example.test');
    assert.deepEqual(hostNamesOf(parsePemCertificates(client.certificate)[0]), ['only-a-cn.example.test']);
  });

  it("refuses a certificate with neither, in Octavia's MissingCertSubject words", async () => {
    const [leaf] = parsePemCertificates((await pki.selfSigned('/O=No Name')).certificate);
    assert.throws(() => hostNamesOf(leaf), { name: 'CertificateError', message: MISSING_CERT_SUBJECT });
  });

  it('refuses a key that is not the certificate’s', async () => {
    const other = await pki.server(['other.example.test']);
    const [leaf] = parsePemCertificates(server.certificate);
    assert.throws(() => toPemCertificate(leaf, parsePemPrivateKey(other.privateKey), []), CertificateError);
  });

  it('reads every certificate of a chain file and refuses garbage and a truncated certificate', () => {
    assert.equal(parsePemCertificates(`${server.certificate}\n${pki.ca}`).length, 2);
    assert.throws(() => parsePemCertificates('garbage'), CertificateError);
    assert.throws(() => parsePemCertificates('-----BEGIN CERTIFICATE-----'.repeat(50_000)), CertificateError);
    const lines = server.certificate.trim().split('\n');
    const cut = [...lines.slice(0, 4), lines[lines.length - 1]].join('\n');
    assert.throws(() => parsePemCertificates(cut), CertificateError);
    assert.throws(
      () => parsePemPrivateKey('-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----'),
      CertificateError,
    );
  });
});
