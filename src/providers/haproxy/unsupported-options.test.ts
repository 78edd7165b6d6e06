// What the haproxy provider refuses with a 501, in words (UDP/SCTP, PROMETHEUS, TLS without resolved
// certificates, X-SSL headers without TLS termination, unsafe values), and the provider's identity for the agent.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { haproxyAvailable } from './haproxy-available.ts';
import { HaproxyProvider } from './haproxy-provider.ts';
import {
  HAPROXY,
  listener,
  loadBalancer,
  member,
  monitor,
  policy,
  pool,
  rule,
  skipWithoutHaproxy,
} from './haproxy-test-fixtures.ts';
import { pemCertificate, placeholderPem, reencryptingTls, terminatedTls } from './tls-test-material.ts';
import { unsupportedOptions } from './unsupported-options.ts';

const certificate = pemCertificate(
  { certificate: placeholderPem('CERTIFICATE'), privateKey: placeholderPem('PRIVATE KEY') },
  ['www.example'],
);
const listenerMaterial = {
  defaultCertificate: certificate,
  sniCertificates: [],
  clientCa: null,
  clientCrl: null,
};

const doc = (
  listeners = [listener('l1', 80, { defaultPoolId: 'p1' })],
  pools = [pool('p1', [member('m1', '10.0.0.1', 80)])],
) => loadBalancer('lb', '127.0.0.1', listeners, pools);

describe('haproxy unsupported options', () => {
  it('serves TCP, HTTP and HTTPS pass-through with every algorithm, persistence and HAProxy monitor type', () => {
    for (const type of ['HTTP', 'HTTPS', 'PING', 'TCP', 'TLS-HELLO']) {
      const pools = [
        pool('p1', [member('m1', '10.0.0.1', 80)], {
          lbAlgorithm: 'SOURCE_IP_PORT',
          healthMonitor: monitor('hm', { type }),
        }),
      ];
      assert.deepEqual(unsupportedOptions(doc(undefined, pools)), [], type);
    }
  });

  it('refuses UDP, SCTP and TLS PROMETHEUS listeners and UDP/SCTP pools and monitors', () => {
    const listeners = [
      ...['UDP', 'SCTP', 'PROMETHEUS'].map((protocol, i) => listener(`l${i}`, 80 + i, { protocol })),
      listener('l3', 90, {
        protocol: 'PROMETHEUS',
        tls: { ...listener('x', 1).tls, defaultContainerRef: 'ref' },
      }),
    ];
    const pools = [
      pool('pu', [], { protocol: 'UDP', healthMonitor: monitor('hm', { type: 'UDP-CONNECT' }) }),
      pool('ps', [], { protocol: 'SCTP', healthMonitor: monitor('hm2', { type: 'SCTP' }) }),
    ];
    assert.deepEqual(unsupportedOptions(doc(listeners, pools)), [
      'listener protocol UDP',
      'listener protocol SCTP',
      'listener protocol PROMETHEUS with TLS',
      'pool protocol UDP',
      'health monitor type UDP-CONNECT',
      'pool protocol SCTP',
      'health monitor type SCTP',
    ]);
  });

  it('serves TERMINATED_HTTPS with X-SSL headers and client-certificate rules, and re-encryption to members', () => {
    const listeners = [
      listener('l1', 443, {
        protocol: 'TERMINATED_HTTPS',
        defaultPoolId: 'p1',
        insertHeaders: { 'X-SSL-Client-DN': 'true', 'X-Forwarded-Proto': 'true' },
        tls: terminatedTls(listenerMaterial),
        l7policies: [
          policy('pol', [
            rule('r1', { type: 'SSL_CONN_HAS_CERT', compareType: 'EQUAL_TO', value: 'True' }),
            rule('r2', { type: 'SSL_VERIFY_RESULT', compareType: 'EQUAL_TO', value: '0' }),
            rule('r3', { type: 'SSL_DN_FIELD', key: 'CN', compareType: 'EQUAL_TO', value: 'alice' }),
          ]),
        ],
      }),
    ];
    const tls = reencryptingTls({ clientCertificate: certificate, ca: placeholderPem('CA'), crl: null });
    assert.deepEqual(unsupportedOptions(doc(listeners, [pool('p1', [], { tls })])), []);
  });

  it('judges TLS options alone while certificates are not resolved, and refuses X-SSL headers without TLS', () => {
    const unresolved = terminatedTls(
      { ...listenerMaterial, clientCa: placeholderPem('CA') },
      { material: null, versions: ['TLSv1.2', 'TLSv9'] },
    );
    assert.deepEqual(
      unsupportedOptions(doc([listener('l1', 443, { protocol: 'TERMINATED_HTTPS', tls: unresolved })])),
      ['TLS version TLSv9'],
    );
    const tls = reencryptingTls({ clientCertificate: certificate, ca: null, crl: null }, { material: null });
    const members = [member('m1', '10.0.0.1', 443)];
    assert.deepEqual(unsupportedOptions(doc(undefined, [pool('p1', members, { tls })])), []);
    const headers = { 'X-SSL-Client-DN': 'true', 'X-Real-IP': 'false' };
    assert.deepEqual(unsupportedOptions(doc([listener('l1', 80, { insertHeaders: headers })])), [
      'insert_headers X-SSL-Client-DN',
    ]);
  });

  it('names a value it cannot write safely', () => {
    const pools = [pool('p1', [member('m1', '10.0.0.1; rm', 80)])];
    assert.deepEqual(unsupportedOptions(doc(undefined, pools)), [
      "member address '10.0.0.1; rm' is not an IP address",
    ]);
  });

  it("presents itself as 'haproxy' with the topology flavor capability", () => {
    const provider = new HaproxyProvider({ runDir: '/nonexistent' });
    assert.equal(provider.info.name, 'haproxy');
    assert.deepEqual(
      provider.info.flavorCapabilities?.map((c) => c.name),
      ['loadbalancer_topology'],
    );
    assert.equal(provider.report('unknown'), undefined);
  });

  it('finds the haproxy binary where it is installed and not where it is not', {
    skip: skipWithoutHaproxy,
  }, () => {
    assert.equal(haproxyAvailable(HAPROXY), true);
    assert.equal(haproxyAvailable('/nonexistent/haproxy'), false);
  });
});
