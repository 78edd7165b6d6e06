import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  created,
  fault,
  insertPool,
  type LoadBalancerWire,
  newLoadBalancer,
} from '../../../../test/helpers/listener-fixtures.ts';
import { startTestApi, type TestApi } from '../../../../test/helpers/test-api.ts';
import { deleteQuota, setQuota } from '../../../store/repositories/quota-repository.ts';

const LISTENERS = '/v2/lbaas/listeners';
let api: TestApi;
let lb: LoadBalancerWire;

async function post(fields: Record<string, unknown>, lbId = lb.id) {
  return api.call('POST', LISTENERS, api.adminToken, { listener: { loadbalancer_id: lbId, ...fields } });
}
/** Creates a listener and waits until it is applied (the load balancer is free again). */
const create = (fields: Record<string, unknown>) =>
  created(api, LISTENERS, 'listener', { loadbalancer_id: lb.id, ...fields });
const pool = (protocol: string, on = lb) => insertPool(api, on, protocol);
let port = 1000;
const nextPort = () => ++port;
const TLS = { protocol: 'TERMINATED_HTTPS', default_tls_container_ref: 'cert-1' };

describe('listeners API: create, defaults and validation', () => {
  before(async () => {
    api = await startTestApi();
    lb = await newLoadBalancer(api);
  });
  after(async () => api.close());

  it('creates a listener with Octavia defaults in the listener envelope', async () => {
    const response = await post({ protocol: 'HTTP', protocol_port: 80, name: 'web' });
    assert.equal(response.statusCode, 201);
    const listener = response.json().listener;
    await api.provisioner.idle();
    assert.equal(listener.provisioning_status, 'PENDING_CREATE');
    assert.equal(listener.operating_status, 'OFFLINE');
    assert.deepEqual(listener.loadbalancers, [{ id: lb.id }]);
    assert.equal(listener.tenant_id, listener.project_id);
    assert.equal(listener.project_id, lb.project_id);
    assert.deepEqual(
      [listener.connection_limit, listener.timeout_client_data, listener.timeout_member_connect],
      [-1, 50000, 5000],
    );
    assert.deepEqual([listener.timeout_member_data, listener.timeout_tcp_inspect], [50000, 0]);
    assert.deepEqual([listener.l7policies, listener.sni_container_refs, listener.tags], [[], [], []]);
    assert.equal(listener.description, '');
    assert.equal(listener.client_authentication, 'NONE');
    for (const key of ['allowed_cidrs', 'tls_ciphers', 'tls_versions', 'alpn_protocols', 'insert_headers']) {
      assert.equal(listener[key], null, key);
    }
    assert.equal('loadbalancer_id' in listener, false);
  });

  it('gives TERMINATED_HTTPS listeners the default ciphers, TLS versions and ALPN protocols', async () => {
    const listener = await create({ ...TLS, protocol_port: nextPort(), sni_container_refs: ['sni-1'] });
    assert.match(
      listener.tls_ciphers,
      /^TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:ECDHE-ECDSA-AES128-GCM-SHA256:.*:DHE-RSA-CHACHA20-POLY1305$/,
    );
    assert.deepEqual(listener.tls_versions, ['TLSv1.2', 'TLSv1.3']);
    assert.deepEqual(listener.alpn_protocols, ['h2', 'http/1.1', 'http/1.0']);
    assert.deepEqual(listener.sni_container_refs, ['sni-1']);
  });

  it('normalizes allowed_cidrs and drops duplicates', async () => {
    const listener = await create({
      protocol: 'TCP',
      protocol_port: nextPort(),
      allowed_cidrs: ['10.1.2.3/24', '10.1.2.0/24', '192.0.2.7'],
    });
    assert.deepEqual(listener.allowed_cidrs, ['10.1.2.0/24', '192.0.2.7/32']);
  });

  it('accepts certificates on a PROMETHEUS listener, which then serves TLS', async () => {
    const listener = await create({
      protocol: 'PROMETHEUS',
      protocol_port: nextPort(),
      default_tls_container_ref: 'c',
    });
    assert.equal(listener.default_tls_container_ref, 'c');
  });

  it('rejects a listener whose port is already used in the same L4 space of the load balancer', async () => {
    const used = nextPort();
    await create({ protocol: 'HTTP', protocol_port: used });
    assert.deepEqual(fault(await post({ protocol: 'TCP', protocol_port: used })), {
      status: 409,
      faultstring: `Another Listener on this Load Balancer is already using protocol HTTP and protocol_port ${used}`,
    });
    // UDP and SCTP have their own port spaces (reference §4.2).
    await create({ protocol: 'UDP', protocol_port: used });
    await create({ protocol: 'SCTP', protocol_port: used });
  });

  it('rejects a listener on a load balancer that does not exist', async () => {
    const id = randomUUID();
    assert.deepEqual(fault(await post({ protocol: 'HTTP', protocol_port: 1 }, id)), {
      status: 404,
      faultstring: `Load Balancer ${id} not found.`,
    });
  });

  it('rejects a default pool that is not on the load balancer', async () => {
    const elsewhere = await pool('HTTP', await newLoadBalancer(api));
    assert.deepEqual(
      fault(await post({ protocol: 'HTTP', protocol_port: nextPort(), default_pool_id: elsewhere })),
      {
        status: 404,
        faultstring: `Pool ${elsewhere} not found.`,
      },
    );
  });

  it('rejects a default pool whose protocol the listener cannot use', async () => {
    const udp = await pool('UDP');
    assert.deepEqual(
      fault(await post({ protocol: 'HTTP', protocol_port: nextPort(), default_pool_id: udp })),
      {
        status: 400,
        faultstring:
          "Validation failure: The pool protocol 'UDP' is invalid while the listener protocol is 'HTTP'.",
      },
    );
  });

  it('accepts a compatible default pool', async () => {
    const proxy = await pool('PROXY');
    const listener = await create({ protocol: 'HTTP', protocol_port: nextPort(), default_pool_id: proxy });
    assert.equal(listener.default_pool_id, proxy);
  });

  it('rejects a default pool on a PROMETHEUS listener', async () => {
    const http = await pool('HTTP');
    assert.deepEqual(
      fault(await post({ protocol: 'PROMETHEUS', protocol_port: nextPort(), default_pool_id: http })),
      {
        status: 400,
        faultstring: 'Protocol PROMETHEUS listeners cannot have child objects.',
      },
    );
  });

  it('rejects inline L7 policies outside a fully populated load balancer create', async () => {
    const body = { protocol: 'HTTP', protocol_port: nextPort(), l7policies: [{ action: 'REJECT' }] };
    assert.deepEqual(fault(await post(body)), {
      status: 400,
      faultstring:
        'Validation failure: Inline child objects are only accepted when creating a fully populated load balancer.',
    });
  });

  it('refuses a listener beyond the project quota', async () => {
    await setQuota(api.store.db, lb.project_id, { listener: 0 });
    try {
      assert.deepEqual(fault(await post({ protocol: 'HTTP', protocol_port: nextPort() })), {
        status: 403,
        faultstring: 'Quota has been met for resources: Listener',
      });
    } finally {
      await deleteQuota(api.store.db, lb.project_id);
    }
    await api.provisioner.idle();
  });

  describe('answers 400 with the exact fault and creates nothing', () => {
    const cases: [string, Record<string, unknown>, string][] = [
      [
        'an unknown attribute',
        { protocol: 'HTTP', protocol_port: 1, bogus: 1 },
        'Unknown attribute for argument listener_.listener: bogus',
      ],
      [
        'a missing protocol',
        { protocol_port: 1 },
        "Invalid input for field/attribute protocol. Value: 'None'. Mandatory field missing.",
      ],
      [
        'an unknown protocol',
        { protocol: 'QUIC', protocol_port: 1 },
        "Invalid input for field/attribute protocol. Value: 'QUIC'. Value should be one of: TCP, HTTP, HTTPS, TERMINATED_HTTPS, UDP, SCTP, PROMETHEUS",
      ],
      [
        'a port out of range',
        { protocol: 'HTTP', protocol_port: 65536 },
        "Invalid input for field/attribute protocol_port. Value: '65536'. Value should be lower or equal to 65535",
      ],
      [
        'a connection limit below -1',
        { protocol: 'HTTP', protocol_port: 1, connection_limit: -2 },
        "Invalid input for field/attribute connection_limit. Value: '-2'. Value should be greater or equal to -1",
      ],
      [
        'a timeout above 24 days',
        { protocol: 'HTTP', protocol_port: 1, timeout_client_data: 2073600001 },
        "Invalid input for field/attribute timeout_client_data. Value: '2073600001'. Value should be lower or equal to 2073600000",
      ],
      [
        'certificates on a UDP listener',
        { protocol: 'UDP', protocol_port: 1, default_tls_container_ref: 'c' },
        'Validation failure: UDP protocol listener does not support TLS.',
      ],
      [
        'certificates on an HTTP listener',
        { protocol: 'HTTP', protocol_port: 1, sni_container_refs: ['c'] },
        'Validation failure: Certificate container references are only allowed on TERMINATED_HTTPS protocol listeners.',
      ],
      [
        'a TERMINATED_HTTPS listener without a certificate',
        { protocol: 'TERMINATED_HTTPS', protocol_port: 1 },
        'Validation failure: An SNI or default certificate container reference must be provided for TERMINATED_HTTPS protocol listeners.',
      ],
      [
        'a client CA without a server certificate',
        { protocol: 'HTTP', protocol_port: 1, client_ca_tls_container_ref: 'ca' },
        'Validation failure: An SNI or default certificate container reference must be provided with a client CA container reference.',
      ],
      [
        'client authentication without a client CA',
        { ...TLS, protocol_port: 1, client_authentication: 'MANDATORY' },
        'Validation failure: Client authentication setting MANDATORY requires a client CA container reference.',
      ],
      [
        'a CRL without a client CA',
        { ...TLS, protocol_port: 1, client_crl_container_ref: 'crl' },
        'Validation failure: A client authentication CA reference is required to specify a client authentication revocation list.',
      ],
      [
        'inserted headers on a TCP listener',
        { protocol: 'TCP', protocol_port: 1, insert_headers: { 'X-Forwarded-For': 'true' } },
        'insert-headers is not a valid option for a TCP protocol listener.',
      ],
      [
        'an unknown inserted header',
        { protocol: 'HTTP', protocol_port: 1, insert_headers: { 'X-Bogus': 'true' } },
        "dict_keys(['X-Bogus']) is not a valid option for insert_headers",
      ],
      [
        'client-certificate headers on an HTTP listener',
        {
          protocol: 'HTTP',
          protocol_port: 1,
          insert_headers: { 'X-Forwarded-For': 'true', 'X-SSL-Client-DN': 'true' },
        },
        "['X-SSL-Client-DN'] is not a valid option for HTTP protocol listener.",
      ],
      [
        'an empty TLS version list',
        { ...TLS, protocol_port: 1, tls_versions: [] },
        'Validation failure: Empty TLS version list. Either specify at least one TLS version or remove this parameter to use the default.',
      ],
      [
        'an unknown TLS version',
        { ...TLS, protocol_port: 1, tls_versions: ['TLSv1.2', 'TLSv9'] },
        'Validation failure: Invalid TLS versions: TLSv9',
      ],
      [
        'an empty ALPN list',
        { ...TLS, protocol_port: 1, alpn_protocols: [] },
        'Validation failure: Empty ALPN protocol list. Either specify at least one ALPN protocol or remove this parameter to use the default.',
      ],
      [
        'an unknown ALPN protocol',
        { ...TLS, protocol_port: 1, alpn_protocols: ['h3'] },
        "Invalid input for field/attribute alpn_protocols. Value: 'h3'. Value should be one of: h2, http/1.1, http/1.0",
      ],
      [
        'a cipher string with characters outside the OpenSSL alphabet',
        { ...TLS, protocol_port: 1, tls_ciphers: 'AES\n  bind :1' },
        'Validation failure: Invalid characters in cipher string. Only alphanumeric, -, +, !, :, @, =, _, and . are allowed.',
      ],
      [
        'an allowed CIDR that is not a network',
        { protocol: 'HTTP', protocol_port: 1, allowed_cidrs: ['nope'] },
        "Invalid input for field/attribute allowed_cidrs. Value: '['nope']'. Value should be IPv4 or IPv6 CIDR format",
      ],
    ];
    for (const [what, fields, message] of cases) {
      it(`rejects ${what}`, async () => {
        const before = (await api.call('GET', LISTENERS, api.adminToken)).json().listeners.length;
        assert.deepEqual(fault(await post(fields)), { status: 400, faultstring: message });
        assert.equal((await api.call('GET', LISTENERS, api.adminToken)).json().listeners.length, before);
      });
    }

    it('rejects an allowed CIDR of the other IP family than the VIP', async () => {
      assert.deepEqual(fault(await post({ protocol: 'HTTP', protocol_port: 1, allowed_cidrs: ['::/0'] })), {
        status: 400,
        faultstring: `Validation failure: CIDR ::/0 IP version incompatible with all VIPs ['${lb.vip_address}'] IP version.`,
      });
    });

    it("accepts an allowed CIDR of an additional VIP's IP family", async () => {
      const network = (await api.call('GET', '/v2.0/networks?name=public', api.adminToken)).json().networks[0]
        .id;
      const v6 = await api.call('POST', '/v2.0/subnets', api.adminToken, {
        subnet: { network_id: network, cidr: 'fd00:78::/64', ip_version: 6, name: 'v6-extra' },
      });
      assert.equal(v6.statusCode, 201, v6.body);
      const dual = await api.call('POST', '/v2/lbaas/loadbalancers', api.adminToken, {
        loadbalancer: {
          vip_subnet_id: api.publicSubnetId,
          additional_vips: [{ subnet_id: v6.json().subnet.id }],
        },
      });
      assert.equal(dual.statusCode, 201, dual.body);
      const dualLb = dual.json().loadbalancer;
      await api.provisioner.idle();
      const response = await post(
        { protocol: 'HTTP', protocol_port: 1, allowed_cidrs: ['::/0', '192.0.2.0/24'] },
        dualLb.id,
      );
      assert.equal(response.statusCode, 201, response.body);
      assert.deepEqual(response.json().listener.allowed_cidrs, ['::/0', '192.0.2.0/24']);
    });
  });
});
