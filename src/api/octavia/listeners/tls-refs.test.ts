import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  created,
  fault,
  type LoadBalancerWire,
  newLoadBalancer,
} from '../../../../test/helpers/listener-fixtures.ts';
import { type MemorySecrets, memorySecrets } from '../../../../test/helpers/memory-secrets.ts';
import { startTestApi, type TestApi } from '../../../../test/helpers/test-api.ts';
import {
  createTestPki,
  type IssuedCertificate,
  opensslMissing,
  type TestPki,
} from '../../../../test/helpers/test-pki.ts';

const LISTENERS = '/v2/lbaas/listeners';
const UNREADABLE =
  'The PKCS12 bundle is unreadable. Please check the PKCS12 bundle validity. In addition, make sure it does not ' +
  'require a pass phrase. Error: ';

describe('listeners API: certificate refs read from the secret store (Octavia _validate_tls_refs)', {
  skip: opensslMissing,
}, () => {
  let api: TestApi;
  let lb: LoadBalancerWire;
  let pki: TestPki;
  let otherPki: TestPki;
  let secrets: MemorySecrets;
  let server: IssuedCertificate;
  let bundleRef: string;
  let port = 3000;
  const post = (fields: Record<string, unknown>) =>
    api.call('POST', LISTENERS, api.adminToken, {
      listener: { loadbalancer_id: lb.id, protocol: 'TERMINATED_HTTPS', protocol_port: ++port, ...fields },
    });

  before(async () => {
    secrets = memorySecrets();
    [api, pki, otherPki] = await Promise.all([startTestApi({ secrets }), createTestPki(), createTestPki()]);
    lb = await newLoadBalancer(api);
    server = await pki.server(['www.example.test']);
    bundleRef = secrets.add(lb.project_id, await pki.pkcs12(server));
  });
  after(() => Promise.all([api.close(), pki.remove(), otherPki.remove()]));

  it('accepts a PKCS#12 secret of the project, by its URL or its bare UUID', async () => {
    const listener = await created(api, LISTENERS, 'listener', {
      loadbalancer_id: lb.id,
      protocol: 'TERMINATED_HTTPS',
      protocol_port: ++port,
      default_tls_container_ref: bundleRef,
      sni_container_refs: [bundleRef.split('/').pop()],
    });
    assert.equal(listener.default_tls_container_ref, bundleRef);
  });

  it('answers UnreadablePKCS12 for a secret that is not a bundle, or needs a password', async () => {
    const garbage = secrets.add(lb.project_id, 'not a bundle');
    assert.deepEqual(fault(await post({ default_tls_container_ref: garbage })), {
      status: 400,
      faultstring: `${UNREADABLE}Could not deserialize PKCS12 data`,
    });
    const locked = secrets.add(lb.project_id, await pki.pkcs12(server, { password: 'pw' }));
    assert.deepEqual(fault(await post({ default_tls_container_ref: locked })), {
      status: 400,
      faultstring: `${UNREADABLE}Invalid password or PKCS12 data`,
    });
  });

  it('lists the refs it cannot retrieve, SNI refs first, and stores nothing', async () => {
    const missing = 'http://127.0.0.1:9311/v1/secrets/6b0f7e52-8f0a-4f57-9a55-2f3b8c1d0e11';
    const foreign = secrets.add('another-project', await pki.pkcs12(server));
    const before = (await api.call('GET', LISTENERS, api.adminToken)).json().listeners.length;
    assert.deepEqual(
      fault(await post({ default_tls_container_ref: missing, sni_container_refs: [bundleRef, foreign] })),
      { status: 400, faultstring: `Could not retrieve certificate: ['${foreign}', '${missing}']` },
    );
    assert.equal((await api.call('GET', LISTENERS, api.adminToken)).json().listeners.length, before);
  });

  it('accepts a legacy certificate container whose key matches, refuses one whose key does not', async () => {
    const good = secrets.addContainer(lb.project_id, {
      certificate: Buffer.from(server.certificate),
      privateKey: Buffer.from(server.privateKey),
      intermediates: Buffer.from(pki.ca),
    });
    assert.equal((await post({ default_tls_container_ref: good })).statusCode, 201);
    const other = await pki.server(['other.example.test']);
    const mismatched = secrets.addContainer(lb.project_id, {
      certificate: Buffer.from(server.certificate),
      privateKey: Buffer.from(other.privateKey),
    });
    assert.deepEqual(fault(await post({ default_tls_container_ref: mismatched })), {
      status: 400,
      faultstring: `Could not retrieve certificate: ['${mismatched}']`,
    });
    await api.provisioner.idle();
  });

  it('accepts a client CA with its CRL, and refuses an invalid CA, an invalid CRL or another CA’s CRL', async () => {
    const ca = secrets.add(lb.project_id, pki.ca);
    const crl = secrets.add(lb.project_id, await pki.crl([await pki.client('revoked')]));
    const foreignCrl = secrets.add(lb.project_id, await otherPki.crl([]));
    const notPem = secrets.add(lb.project_id, 'garbage');
    const mtls = { default_tls_container_ref: bundleRef, client_authentication: 'MANDATORY' };
    assert.equal(
      (await post({ ...mtls, client_ca_tls_container_ref: ca, client_crl_container_ref: crl })).statusCode,
      201,
    );
    const caFault = fault(await post({ ...mtls, client_ca_tls_container_ref: notPem }));
    assert.equal(caFault.status, 400);
    assert.ok(
      caFault.faultstring.startsWith(
        'Validation failure: The client authentication CA certificate is invalid. It must be a valid x509 PEM ' +
          'format certificate. Error: ',
      ),
      caFault.faultstring,
    );
    const crlFault = fault(
      await post({ ...mtls, client_ca_tls_container_ref: ca, client_crl_container_ref: notPem }),
    );
    assert.ok(
      crlFault.faultstring.startsWith(
        'Validation failure: The client authentication certificate revocation list is invalid. It must be a ' +
          'valid x509 PEM format certificate revocation list. Error: ',
      ),
      crlFault.faultstring,
    );
    assert.deepEqual(
      fault(await post({ ...mtls, client_ca_tls_container_ref: ca, client_crl_container_ref: foreignCrl })),
      {
        status: 400,
        faultstring:
          'Validation failure: The CRL specified is not valid for client certificate authority reference supplied.',
      },
    );
    const gone = 'http://127.0.0.1:9311/v1/secrets/0d7c6b43-51a4-4c55-8a39-d5c9a3b4e2f0';
    assert.deepEqual(
      fault(await post({ ...mtls, client_ca_tls_container_ref: ca, client_crl_container_ref: gone })),
      {
        status: 400,
        faultstring: `Could not retrieve certificate: ['${gone}']`,
      },
    );
    await api.provisioner.idle();
  });

  it('checks a ref a PUT gives', async () => {
    const listener = await created(api, LISTENERS, 'listener', {
      loadbalancer_id: lb.id,
      protocol: 'TERMINATED_HTTPS',
      protocol_port: ++port,
      default_tls_container_ref: bundleRef,
    });
    const garbage = secrets.add(lb.project_id, Buffer.from([0x30, 0x03, 0x02, 0x01, 0x03]));
    const response = await api.call('PUT', `${LISTENERS}/${listener.id}`, api.adminToken, {
      listener: { sni_container_refs: [garbage] },
    });
    assert.deepEqual(fault(response), {
      status: 400,
      faultstring: `${UNREADABLE}Could not deserialize PKCS12 data`,
    });
  });
});
