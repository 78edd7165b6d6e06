import assert from 'node:assert/strict';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { loadConfig, parseListen, parseNativeWorkers, parseRbacPolicy, parseVrrpMode } from './config.ts';
import { TLS_POLICY_OPTIONS } from './tls-policy-options.ts';

describe('loadConfig', () => {
  it('defaults to 127.0.0.1:9876, ./sluice-data, a SQLite file inside it and the native provider', () => {
    const config = loadConfig({}, {});
    assert.equal(config.defaultProvider, 'native');
    assert.equal(config.listenHost, '127.0.0.1');
    assert.equal(config.listenPort, 9876);
    assert.equal(config.dataDir, path.resolve('sluice-data'));
    assert.equal(config.databaseUrl, `sqlite:${path.resolve('sluice-data', 'sluice.db')}`);
    assert.equal(config.publicUrl, 'http://127.0.0.1:9876');
  });

  it('lets flags win over SLUICE_* variables', () => {
    const env = { SLUICE_LISTEN: '127.0.0.2:1000', SLUICE_PROVIDER: 'noop', SLUICE_DATA_DIR: '/tmp/a' };
    const config = loadConfig({ listen: '127.0.0.3:2000', dataDir: '/tmp/b' }, env);
    assert.equal(config.listenHost, '127.0.0.3');
    assert.equal(config.listenPort, 2000);
    assert.equal(config.dataDir, '/tmp/b');
    assert.equal(config.defaultProvider, 'noop');
  });

  it('maps the amphora and octavia aliases to the default provider unless --amphora-provider or SLUICE_AMPHORA_PROVIDER says', () => {
    assert.equal(loadConfig({}, {}).amphoraProvider, 'native');
    assert.equal(loadConfig({ provider: 'noop' }, {}).amphoraProvider, 'noop');
    assert.equal(loadConfig({}, { SLUICE_AMPHORA_PROVIDER: 'haproxy' }).amphoraProvider, 'haproxy');
    const both = loadConfig({ amphoraProvider: 'noop' }, { SLUICE_AMPHORA_PROVIDER: 'haproxy' });
    assert.equal(both.amphoraProvider, 'noop');
  });

  it('reads the admin password only from the environment', () => {
    assert.equal(loadConfig({}, { SLUICE_ADMIN_PASSWORD: 's3cret' }).adminPassword, 's3cret');
  });

  it('rejects a listen address without a port', () => {
    assert.throws(() => parseListen('localhost'), /expected HOST:PORT/);
  });

  it('advertises a loopback URL when listening on every interface', () => {
    assert.equal(loadConfig({ listen: '0.0.0.0:80' }, {}).publicUrl, 'http://127.0.0.1:80');
  });

  it('runs the native data plane in the agent process unless more workers are asked for', () => {
    assert.equal(loadConfig({}, {}).nativeWorkers, 1);
    assert.equal(loadConfig({}, { SLUICE_NATIVE_WORKERS: '3' }).nativeWorkers, 3);
    assert.equal(loadConfig({ nativeWorkers: '2' }, { SLUICE_NATIVE_WORKERS: '3' }).nativeWorkers, 2);
    assert.equal(parseNativeWorkers('auto'), os.availableParallelism());
  });

  it('rejects a native worker count that is not a whole number from 1 to 64', () => {
    for (const value of ['0', '65', '1.5', 'two', '-1']) {
      assert.throws(
        () => parseNativeWorkers(value),
        new RegExp(`native workers must be a whole number from 1 to 64 or 'auto', not '${value}'`),
      );
    }
  });

  it('runs keepalived for ACTIVE_STANDBY where it can (auto) unless --vrrp or SLUICE_VRRP says on or off', () => {
    assert.equal(loadConfig({}, {}).vrrp, 'auto');
    assert.equal(loadConfig({}, { SLUICE_VRRP: 'off' }).vrrp, 'off');
    assert.equal(loadConfig({ vrrp: 'on' }, { SLUICE_VRRP: 'off' }).vrrp, 'on');
  });

  it('reads denylist_vip_networks as a comma list from --denylist-vip-networks or SLUICE_DENYLIST_VIP_NETWORKS', () => {
    assert.deepEqual(loadConfig({}, {}).denylistVipNetworks, []);
    assert.deepEqual(
      loadConfig({}, { SLUICE_DENYLIST_VIP_NETWORKS: ' net-a, net-b,,' }).denylistVipNetworks,
      ['net-a', 'net-b'],
    );
    assert.deepEqual(
      loadConfig({ denylistVipNetworks: 'net-c' }, { SLUICE_DENYLIST_VIP_NETWORKS: 'net-a' })
        .denylistVipNetworks,
      ['net-c'],
    );
  });

  it('rejects a vrrp mode other than auto, on or off', () => {
    assert.throws(() => parseVrrpMode('yes'), /vrrp must be one of auto, on, off, not 'yes'/);
  });

  it('logs connections unless --connection-logging or SLUICE_CONNECTION_LOGGING says off (or false)', () => {
    assert.equal(loadConfig({}, {}).connectionLogging, true);
    assert.equal(loadConfig({}, { SLUICE_CONNECTION_LOGGING: 'false' }).connectionLogging, false);
    assert.equal(
      loadConfig({ connectionLogging: 'on' }, { SLUICE_CONNECTION_LOGGING: 'off' }).connectionLogging,
      true,
    );
    assert.throws(
      () => loadConfig({ connectionLogging: 'no' }, {}),
      /connection logging must be on or off, not 'no'/,
    );
  });

  it('enforces the advanced RBAC policy unless --rbac or SLUICE_RBAC asks for keystone-default', () => {
    assert.equal(loadConfig({}, {}).rbac, 'advanced');
    assert.equal(loadConfig({}, { SLUICE_RBAC: 'keystone-default' }).rbac, 'keystone-default');
    assert.equal(loadConfig({ rbac: 'advanced' }, { SLUICE_RBAC: 'keystone-default' }).rbac, 'advanced');
  });

  it('rejects an RBAC policy other than advanced or keystone-default', () => {
    assert.throws(
      () => parseRbacPolicy('legacy'),
      /rbac must be one of advanced, keystone-default, not 'legacy'/,
    );
  });

  it("reads the admin TLS policy from its flags or SLUICE_* variables, Octavia's defaults when unset", () => {
    assert.deepEqual(loadConfig({}, {}).tlsPolicy, {
      cipherProhibitList: [],
      minimumTlsVersion: null,
      allowTlsTerminatedListeners: true,
    });
    const env = {
      SLUICE_TLS_CIPHER_PROHIBIT_LIST: 'RC4-MD5, DES-CBC3-SHA:NULL-MD5,',
      SLUICE_MINIMUM_TLS_VERSION: 'TLSv1.1',
      SLUICE_ALLOW_TLS_TERMINATED_LISTENERS: 'False',
    };
    assert.deepEqual(loadConfig({}, env).tlsPolicy, {
      cipherProhibitList: ['RC4-MD5', 'DES-CBC3-SHA', 'NULL-MD5'],
      minimumTlsVersion: 'TLSv1.1',
      allowTlsTerminatedListeners: false,
    });
    const flags = {
      tlsCipherProhibitList: 'RC4-SHA',
      minimumTlsVersion: 'TLSv1.2',
      allowTlsTerminatedListeners: 'yes',
    };
    assert.deepEqual(loadConfig(flags, env).tlsPolicy, {
      cipherProhibitList: ['RC4-SHA'],
      minimumTlsVersion: 'TLSv1.2',
      allowTlsTerminatedListeners: true,
    });
    assert.deepEqual(
      Object.values(TLS_POLICY_OPTIONS).map((o) => o.env),
      Object.keys(env),
    );
  });

  it('refuses to start with a minimum above the default TLS versions or a prohibit list hitting the default ciphers', () => {
    assert.throws(() => loadConfig({ minimumTlsVersion: 'TLSv1.3' }, {}), {
      message:
        'Validation failure: Default listener TLS versions are less than the minimum: TLSv1.2 < TLSv1.3',
    });
    assert.throws(
      () => loadConfig({}, { SLUICE_TLS_CIPHER_PROHIBIT_LIST: 'RC4-MD5:ECDHE-RSA-AES128-GCM-SHA256' }),
      {
        message:
          'Validation failure: Default listener ciphers conflict with prohibit list. Conflicting ciphers: ' +
          'ECDHE-RSA-AES128-GCM-SHA256',
      },
    );
    assert.throws(() => loadConfig({ minimumTlsVersion: 'TLSv1.4' }, {}), {
      message: "minimum TLS version must be one of SSLv3, TLSv1, TLSv1.1, TLSv1.2, TLSv1.3, not 'TLSv1.4'",
    });
    assert.throws(() => loadConfig({ allowTlsTerminatedListeners: 'maybe' }, {}), {
      message: "allow TLS terminated listeners must be true or false, not 'maybe'",
    });
  });

  it("reads the body cap from --max-request-body-size or its variable, oslo.middleware's 114688 when unset", () => {
    assert.equal(loadConfig({}, {}).maxRequestBodySize, 114_688);
    assert.equal(loadConfig({}, { SLUICE_MAX_REQUEST_BODY_SIZE: '2097152' }).maxRequestBodySize, 2_097_152);
    assert.equal(
      loadConfig({ maxRequestBodySize: '4096' }, { SLUICE_MAX_REQUEST_BODY_SIZE: '2097152' })
        .maxRequestBodySize,
      4096,
    );
    for (const bad of ['1k', '512', '-1', '99999999999'])
      assert.throws(() => loadConfig({ maxRequestBodySize: bad }, {}), {
        message: `max request body size must be a whole number of bytes from 1024 to 67108864, not '${bad}'`,
      });
  });
});
