import assert from 'node:assert/strict';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { created, type LoadBalancerWire, newLoadBalancer } from '../../../test/helpers/listener-fixtures.ts';
import { type MemorySecrets, memorySecrets } from '../../../test/helpers/memory-secrets.ts';
import { startTestApi, type TestApi } from '../../../test/helpers/test-api.ts';
import {
  createTestPki,
  type IssuedCertificate,
  opensslMissing,
  type TestPki,
} from '../../../test/helpers/test-pki.ts';
import { MISSING_CERT_SUBJECT } from '../../tls/pem-certificate.ts';
import { loadDesiredState } from './desired-state-repository.ts';
import { resolveLoadBalancerTls } from './load-balancer-tls.ts';
import { resolveListenerTls, resolvePoolTls } from './tls-resolution.ts';

const PROJECT = 'p1';
const listenerRefs = (fields: Partial<Parameters<typeof resolveListenerTls>[1]>) => ({
  id: 'l1',
  projectId: PROJECT,
  protocol: 'TERMINATED_HTTPS',
  defaultRef: null,
  sniRefs: [],
  clientCaRef: null,
  clientCrlRef: null,
  ...fields,
});

describe('TLS resolution into the desired state', { skip: opensslMissing }, () => {
  let pki: TestPki;
  let secrets: MemorySecrets;
  let www: IssuedCertificate;
  let api: IssuedCertificate;
  before(async () => {
    pki = await createTestPki();
    secrets = memorySecrets();
    [www, api] = await Promise.all([pki.server(['www.example.test']), pki.server(['api.example.test'])]);
  });
  after(() => pki.remove());

  it('resolves the default and SNI bundles, the client CA and its CRL into PEM material', async () => {
    const material = await resolveListenerTls(
      secrets,
      listenerRefs({
        defaultRef: secrets.add(PROJECT, await pki.pkcs12(www)),
        sniRefs: [secrets.add(PROJECT, await pki.pkcs12(api))],
        clientCaRef: secrets.add(PROJECT, pki.ca),
        clientCrlRef: secrets.add(PROJECT, await pki.crl([])),
      }),
    );
    assert.ok(material);
    assert.deepEqual(material.defaultCertificate.names, ['www.example.test']);
    assert.deepEqual(
      material.sniCertificates.map((c) => c.names),
      [['api.example.test']],
    );
    assert.ok(
      new X509Certificate(material.defaultCertificate.certificate).checkPrivateKey(
        createPrivateKey(material.defaultCertificate.privateKey),
      ),
    );
    assert.equal(material.clientCa?.trim(), new X509Certificate(pki.ca).toString().trim());
    assert.match(material.clientCrl ?? '', /^-----BEGIN X509 CRL-----/);
  });

  it('makes the first SNI certificate the default when there is no default ref', async () => {
    const material = await resolveListenerTls(
      secrets,
      listenerRefs({
        sniRefs: [secrets.add(PROJECT, await pki.pkcs12(api)), secrets.add(PROJECT, await pki.pkcs12(www))],
      }),
    );
    assert.deepEqual(material?.defaultCertificate.names, ['api.example.test']);
    assert.equal(material?.sniCertificates.length, 2);
  });

  it('resolves nothing for other protocols and for pools without TLS', async () => {
    assert.equal(await resolveListenerTls(secrets, listenerRefs({ protocol: 'HTTP' })), null);
    const pool = {
      id: 'p',
      projectId: PROJECT,
      enabled: false,
      certificateRef: null,
      caRef: null,
      crlRef: null,
    };
    assert.equal(await resolvePoolTls(secrets, pool), null);
  });

  it('resolves a re-encrypting pool’s client certificate and member CA', async () => {
    const client = await pki.client('sluice-client');
    const pool = {
      id: 'p',
      projectId: PROJECT,
      enabled: true,
      certificateRef: secrets.add(PROJECT, await pki.pkcs12(client)),
      caRef: secrets.add(PROJECT, pki.ca),
      crlRef: null,
    };
    const material = await resolvePoolTls(secrets, pool);
    assert.deepEqual(material?.clientCertificate?.names, ['sluice-client']);
    assert.ok(material?.ca);
    assert.equal(material?.crl, null);
  });

  it("fails with Octavia's MissingCertSubject words for a bundle whose certificate has no host name", async () => {
    const ref = secrets.add(PROJECT, await pki.pkcs12(await pki.selfSigned('/O=No Name')));
    await assert.rejects(resolveListenerTls(secrets, listenerRefs({ defaultRef: ref })), {
      message: `listener l1: certificate ref ${ref} could not be resolved: ${MISSING_CERT_SUBJECT}`,
    });
  });

  it('fails naming the listener and the ref when a secret is gone or in another project', async () => {
    const ref = secrets.add('another-project', await pki.pkcs12(www));
    await assert.rejects(resolveListenerTls(secrets, listenerRefs({ defaultRef: ref })), {
      message: new RegExp(`^listener l1: certificate ref ${ref} could not be resolved: `),
    });
  });
});

describe('TLS resolution in the provisioner', { skip: opensslMissing }, () => {
  let testApi: TestApi;
  let pki: TestPki;
  let secrets: MemorySecrets;
  let lb: LoadBalancerWire;
  before(async () => {
    secrets = memorySecrets();
    [testApi, pki] = await Promise.all([startTestApi({ secrets }), createTestPki()]);
    lb = await newLoadBalancer(testApi);
  });
  after(() => Promise.all([testApi.close(), pki.remove()]));

  it('hands the provider the resolved certificate and the HSTS settings', async () => {
    const ref = secrets.add(lb.project_id, await pki.pkcs12(await pki.server(['shop.example.test'])));
    await created(testApi, '/v2/lbaas/listeners', 'listener', {
      loadbalancer_id: lb.id,
      protocol: 'TERMINATED_HTTPS',
      protocol_port: 443,
      default_tls_container_ref: ref,
      hsts_max_age: 100,
      hsts_preload: true,
    });
    const desired = testApi.noop.applied.get(lb.id);
    const tls = desired?.listeners[0].tls;
    assert.deepEqual(tls?.material?.defaultCertificate.names, ['shop.example.test']);
    assert.deepEqual(tls?.hsts, { maxAge: 100, includeSubdomains: false, preload: true });
  });

  it('fails the change (listener ERROR, the reason on the load balancer) when a ref stops resolving', async () => {
    const ref = secrets.add(lb.project_id, await pki.pkcs12(await pki.server(['gone.example.test'])));
    const listener = await created(testApi, '/v2/lbaas/listeners', 'listener', {
      loadbalancer_id: lb.id,
      protocol: 'TERMINATED_HTTPS',
      protocol_port: 8443,
      default_tls_container_ref: ref,
    });
    secrets.remove(ref);
    await testApi.call('PUT', `/v2/lbaas/listeners/${listener.id}`, testApi.adminToken, {
      listener: { name: 'x' },
    });
    await testApi.provisioner.idle();
    // A child's failed change: the listener goes ERROR, the load balancer back to ACTIVE with the reason.
    const get = async (url: string) => (await testApi.call('GET', url, testApi.adminToken)).json();
    assert.equal((await get(`/v2/lbaas/listeners/${listener.id}`)).listener.provisioning_status, 'ERROR');
    const shown = (await get(`/v2/lbaas/loadbalancers/${lb.id}`)).loadbalancer;
    assert.match(
      shown.provisioning_status_reason,
      new RegExp(`certificate ref ${ref} could not be resolved`),
    );
  });

  it('checks the refs of a load balancer served by agents with the reason a full desired state would give', async () => {
    const other = await newLoadBalancer(testApi);
    const ref = secrets.add(other.project_id, await pki.pkcs12(await pki.server(['agents.example.test'])));
    await created(testApi, '/v2/lbaas/listeners', 'listener', {
      loadbalancer_id: other.id,
      protocol: 'TERMINATED_HTTPS',
      protocol_port: 443,
      default_tls_container_ref: ref,
    });
    await created(testApi, '/v2/lbaas/listeners', 'listener', {
      loadbalancer_id: other.id,
      protocol: 'HTTP',
      protocol_port: 80,
    });
    await resolveLoadBalancerTls(testApi.store.db, other.id, secrets);
    secrets.remove(ref);
    const full = await loadDesiredState(testApi.store.db, other.id, { secrets }).then(
      () => 'resolved',
      (error: Error) => error.message,
    );
    assert.match(full, new RegExp(`certificate ref ${ref} could not be resolved`));
    await assert.rejects(resolveLoadBalancerTls(testApi.store.db, other.id, secrets), { message: full });
  });
});
