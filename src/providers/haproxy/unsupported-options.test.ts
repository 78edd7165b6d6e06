// What the haproxy provider refuses with a 501, in words (UDP/SCTP, TLS termination and re-encryption, PROMETHEUS,
// unsafe values), and the provider's identity for the agent.
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
  pool,
  skipWithoutHaproxy,
} from './haproxy-test-fixtures.ts';
import { unsupportedOptions } from './unsupported-options.ts';

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

  it('refuses UDP, SCTP, TERMINATED_HTTPS and PROMETHEUS listeners and UDP/SCTP pools and monitors', () => {
    const listeners = ['UDP', 'SCTP', 'TERMINATED_HTTPS', 'PROMETHEUS'].map((protocol, i) =>
      listener(`l${i}`, 80 + i, { protocol }),
    );
    const pools = [
      pool('pu', [], { protocol: 'UDP', healthMonitor: monitor('hm', { type: 'UDP-CONNECT' }) }),
      pool('ps', [], { protocol: 'SCTP', healthMonitor: monitor('hm2', { type: 'SCTP' }) }),
    ];
    assert.deepEqual(unsupportedOptions(doc(listeners, pools)), [
      'listener protocol UDP',
      'listener protocol SCTP',
      'listener protocol TERMINATED_HTTPS',
      'listener protocol PROMETHEUS',
      'pool protocol UDP',
      'health monitor type UDP-CONNECT',
      'pool protocol SCTP',
      'health monitor type SCTP',
    ]);
  });

  it('refuses re-encryption to members and X-SSL headers', () => {
    const tls = {
      enabled: true,
      containerRef: null,
      caContainerRef: null,
      crlContainerRef: null,
      ciphers: null,
      versions: [],
      alpnProtocols: [],
      material: null,
    };
    const listeners = [
      listener('l1', 80, {
        defaultPoolId: 'p1',
        insertHeaders: { 'X-SSL-Client-DN': 'true', 'X-Real-IP': 'false' },
      }),
    ];
    assert.deepEqual(unsupportedOptions(doc(listeners, [pool('p1', [], { tls })])), [
      'insert_headers X-SSL-Client-DN',
      'pool tls_enabled (re-encryption to members)',
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
