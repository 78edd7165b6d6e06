import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fault, type LoadBalancerWire, newLoadBalancer } from '../../../../test/helpers/listener-fixtures.ts';
import { type MemorySecrets, memorySecrets } from '../../../../test/helpers/memory-secrets.ts';
import { startTestApi, type TestApi } from '../../../../test/helpers/test-api.ts';
import { createTestPki, opensslMissing, type TestPki } from '../../../../test/helpers/test-pki.ts';

const POOLS = '/v2/lbaas/pools';

describe('pools API: re-encryption refs read from the secret store', { skip: opensslMissing }, () => {
  let api: TestApi;
  let lb: LoadBalancerWire;
  let pki: TestPki;
  let otherPki: TestPki;
  let secrets: MemorySecrets;
  const post = (fields: Record<string, unknown>) =>
    api.call('POST', POOLS, api.adminToken, {
      pool: {
        loadbalancer_id: lb.id,
        protocol: 'HTTP',
        lb_algorithm: 'ROUND_ROBIN',
        tls_enabled: true,
        ...fields,
      },
    });

  before(async () => {
    secrets = memorySecrets();
    [api, pki, otherPki] = await Promise.all([startTestApi({ secrets }), createTestPki(), createTestPki()]);
    lb = await newLoadBalancer(api);
  });
  after(() => Promise.all([api.close(), pki.remove(), otherPki.remove()]));

  it('accepts a client bundle, a member CA and its CRL of the project', async () => {
    const response = await post({
      tls_container_ref: secrets.add(lb.project_id, await pki.pkcs12(await pki.client('sluice'))),
      ca_tls_container_ref: secrets.add(lb.project_id, pki.ca),
      crl_container_ref: secrets.add(lb.project_id, await pki.crl([])),
    });
    assert.equal(response.statusCode, 201, response.body);
    await api.provisioner.idle();
  });

  it('answers UnreadablePKCS12 for a client certificate that is PEM, not a bundle', async () => {
    const pem = secrets.add(lb.project_id, pki.ca);
    const { status, faultstring } = fault(await post({ tls_container_ref: pem }));
    assert.equal(status, 400);
    assert.ok(faultstring.startsWith('The PKCS12 bundle is unreadable.'), faultstring);
  });

  it('refuses another CA’s CRL and another project’s CA', async () => {
    const ca = secrets.add(lb.project_id, pki.ca);
    const foreignCrl = secrets.add(lb.project_id, await otherPki.crl([]));
    assert.deepEqual(fault(await post({ ca_tls_container_ref: ca, crl_container_ref: foreignCrl })), {
      status: 400,
      faultstring:
        'Validation failure: The CRL specified is not valid for client certificate authority reference supplied.',
    });
    const foreignCa = secrets.add('another-project', pki.ca);
    assert.deepEqual(fault(await post({ ca_tls_container_ref: foreignCa })), {
      status: 400,
      faultstring: `Could not retrieve certificate: ['${foreignCa}']`,
    });
  });
});
