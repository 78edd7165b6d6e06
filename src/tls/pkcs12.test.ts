import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { nestedSequences, tlv } from '../../test/helpers/hostile-der.ts';
import {
  createTestPki,
  type IssuedCertificate,
  opensslMissing,
  type TestPki,
} from '../../test/helpers/test-pki.ts';
import { childrenOf, readOne, Tag } from './der.ts';
import { Pkcs12Error, readPkcs12 } from './pkcs12.ts';

describe('readPkcs12', { skip: opensslMissing }, () => {
  let pki: TestPki;
  let server: IssuedCertificate;
  before(async () => {
    pki = await createTestPki();
    server = await pki.server(['www.example.test', 'api.example.test']);
  });
  after(() => pki.remove());

  it('reads the bundle the Octavia cookbook makes (PBES2, AES-256-CBC, HMAC-SHA256, empty password)', async () => {
    const contents = readPkcs12(await pki.pkcs12(server));
    assert.equal(contents.certificate.toString().trim(), server.certificate.trim());
    assert.ok(contents.certificate.checkPrivateKey(contents.privateKey));
    assert.deepEqual(
      contents.others.map((c) => c.toString().trim()),
      [pki.ca.trim()],
    );
  });

  it('reads a legacy bundle encrypted with pbeWithSHAAnd3-KeyTripleDES-CBC and a SHA-1 MAC', async () => {
    const contents = readPkcs12(await pki.pkcs12(server, { scheme: '3des' }));
    assert.equal(contents.certificate.toString().trim(), server.certificate.trim());
    assert.ok(contents.certificate.checkPrivateKey(contents.privateKey));
  });

  it('refuses an RC2 bundle (openssl -legacy) naming RC2', async () => {
    const rc2 = await pki.pkcs12(server, { scheme: 'rc2' });
    assert.throws(() => readPkcs12(rc2), { name: 'Pkcs12Error', message: /RC2/ });
  });

  it('refuses a bundle that needs a password', async () => {
    const bundle = await pki.pkcs12(server, { password: 'secret' });
    assert.throws(() => readPkcs12(bundle), {
      name: 'Pkcs12Error',
      message: 'Invalid password or PKCS12 data',
    });
  });

  it('refuses garbage, PEM text and every truncation of a real bundle without crashing', async () => {
    const bundle = await pki.pkcs12(server);
    assert.throws(() => readPkcs12(Buffer.from('not a bundle')), Pkcs12Error);
    assert.throws(() => readPkcs12(Buffer.from(server.certificate)), Pkcs12Error);
    for (let cut = 0; cut < bundle.length; cut += 97) {
      assert.throws(() => readPkcs12(bundle.subarray(0, cut)), Pkcs12Error);
    }
  });

  it('refuses a bundle whose encrypted content was altered (the MAC no longer verifies)', async () => {
    const bundle = Buffer.from(await pki.pkcs12(server));
    bundle[200] ^= 0xff;
    assert.throws(() => readPkcs12(bundle), Pkcs12Error);
  });

  it('refuses a bundle asking for more key-derivation iterations than its budget, without running them', async () => {
    const [version, authSafe, macData] = childrenOf(readOne(await pki.pkcs12(server), Tag.SEQUENCE, 'PFX'));
    const [digestInfo, salt] = childrenOf(macData);
    const greedy = tlv(
      Tag.SEQUENCE,
      digestInfo.encoded,
      salt.encoded,
      tlv(Tag.INTEGER, Buffer.from([0x7f, 0xff, 0xff, 0xff])),
    );
    const bundle = tlv(Tag.SEQUENCE, version.encoded, authSafe.encoded, greedy);
    assert.throws(() => readPkcs12(bundle), {
      name: 'Pkcs12Error',
      message: 'too many key derivation iterations in the PKCS12 bundle',
    });
  });

  it('refuses deeply nested sequences as data, quickly and without a stack overflow', () => {
    const buf = nestedSequences(50_000);
    assert.throws(() => readPkcs12(buf), {
      name: 'Pkcs12Error',
      message: 'Could not deserialize PKCS12 data',
    });
  });
});
