// A minimal Fastify app with only the Keystone routes, the fault and auth plugins, an in-memory store and a
// bootstrapped identity service, for the Keystone route tests. Clients act through app.inject.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { createHttpApp } from '../../src/api/http-app.ts';
import { registerKeystoneRoutes } from '../../src/api/keystone/routes.ts';
import type { SluiceConfig } from '../../src/config/config.ts';
import { DEFAULT_MAX_REQUEST_BODY_SIZE } from '../../src/config/request-limit-options.ts';
import { IdentityService } from '../../src/identity/identity-service.ts';
import { OPEN_TLS_POLICY } from '../../src/model/tls-policy.ts';
import { ChangeFeed } from '../../src/store/change-feed.ts';
import { openStore, type Store } from '../../src/store/database.ts';

export const KEYSTONE_ADMIN_PASSWORD = 'keystone-test-admin';
export const TEST_PUBLIC_URL = 'http://sluice.test:9876';

export type Scope = { project: string } | 'system' | 'unscoped';

export type KeystoneTestApp = {
  app: FastifyInstance;
  identity: IdentityService;
  store: Store;
  config: SluiceConfig;
  adminProjectId: string;
  adminUserId: string;
  call(
    method: InjectOptions['method'],
    url: string,
    token?: string,
    body?: unknown,
  ): Promise<LightMyRequestResponse>;
  /** POST /v3/auth/tokens with a password for a user of the Default domain. */
  login(user: string, password: string, scope?: Scope): Promise<LightMyRequestResponse>;
  /** A token of `user`, failing the test when login does not answer 201. */
  token(user: string, password: string, scope?: Scope): Promise<string>;
  adminToken(scope?: Scope): Promise<string>;
  close(): Promise<void>;
};

export function testConfig(overrides: Partial<SluiceConfig> = {}): SluiceConfig {
  return {
    listenHost: '127.0.0.1',
    listenPort: 9876,
    dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-keystone-')),
    databaseUrl: 'sqlite::memory:',
    defaultProvider: 'noop',
    amphoraProvider: 'noop',
    networkDriver: 'neutron',
    publicUrl: TEST_PUBLIC_URL,
    tokenTtlSeconds: 3600,
    adminPassword: KEYSTONE_ADMIN_PASSWORD,
    logLevel: 'silent',
    agent: 'none',
    heartbeatIntervalMs: 1000,
    heartbeatTimeoutMs: 5000,
    nativeWorkers: 1,
    vrrp: 'off',
    connectionLogging: true,
    denylistVipNetworks: [],
    rbac: 'advanced',
    tlsPolicy: OPEN_TLS_POLICY,
    maxRequestBodySize: DEFAULT_MAX_REQUEST_BODY_SIZE,
    metricsAllowedCidrs: ['127.0.0.0/8', '::1/128'],
    ...overrides,
  };
}

export function passwordAuthBody(
  user: string,
  password: string,
  scope: Scope = { project: 'admin' },
): unknown {
  const identity = {
    methods: ['password'],
    password: { user: { name: user, password, domain: { name: 'Default' } } },
  };
  if (scope === 'unscoped') return { auth: { identity } };
  if (scope === 'system') return { auth: { identity, scope: { system: { all: true } } } };
  return { auth: { identity, scope: { project: { name: scope.project, domain: { id: 'default' } } } } };
}

export async function buildKeystoneTestApp(overrides: Partial<SluiceConfig> = {}): Promise<KeystoneTestApp> {
  const config = testConfig(overrides);
  const store = await openStore('sqlite::memory:');
  const identity = new IdentityService(store, config);
  const boot = await identity.bootstrap();
  const app = createHttpApp({
    validateToken: (token) => identity.validateToken(token),
    authUrl: `${config.publicUrl}/identity`,
  });
  await registerKeystoneRoutes(app, { store, config, identity, changes: new ChangeFeed(), providers: [] });
  await app.ready();

  const call: KeystoneTestApp['call'] = (method, url, token, body) =>
    app.inject({
      method,
      url,
      headers: { ...(token && { 'x-auth-token': token }), 'content-type': 'application/json' },
      ...(body !== undefined && { payload: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
  const login: KeystoneTestApp['login'] = (user, password, scope) =>
    call('POST', '/v3/auth/tokens', undefined, passwordAuthBody(user, password, scope));
  const token: KeystoneTestApp['token'] = async (user, password, scope) => {
    const response = await login(user, password, scope);
    if (response.statusCode !== 201) throw new Error(`login failed: ${response.statusCode} ${response.body}`);
    return response.headers['x-subject-token'] as string;
  };

  return {
    app,
    identity,
    store,
    config,
    adminProjectId: boot.adminProjectId,
    adminUserId: boot.adminUserId,
    call,
    login,
    token,
    adminToken: (scope) => token('admin', KEYSTONE_ADMIN_PASSWORD, scope),
    async close() {
      await app.close();
      await store.close();
      fs.rmSync(config.dataDir, { recursive: true, force: true });
    },
  };
}
