// A complete Sluice API in memory for behaviour tests: real store (SQLite, or PostgreSQL via
// SLUICE_TEST_DATABASE_URL when asked), real identity, real networking, the controller with the noop
// provider. Users and grants are made through the Keystone API itself, as a client would.
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { type Logger, pino } from 'pino';
import { buildApp } from '../../src/api/app.ts';
import { type ConfigFlags, loadConfig, type RbacPolicyName } from '../../src/config/config.ts';
import { Provisioner } from '../../src/controller/provisioner.ts';
import { IdentityService } from '../../src/identity/identity-service.ts';
import { providerAliases } from '../../src/model/provider-aliases.ts';
import type { ProviderDriver, ProviderInfo } from '../../src/model/provider-driver.ts';
import { NoopProvider } from '../../src/providers/noop/noop-provider.ts';
import { ChangeFeed } from '../../src/store/change-feed.ts';
import { openStore, type Store } from '../../src/store/database.ts';
import { ensurePublicNetwork } from '../../src/store/repositories/network-repository.ts';
import { openSecretCipher } from '../../src/store/secret-store-key.ts';
import type { SecretReaders } from '../../src/tls/secret-reader.ts';

export const ADMIN_PASSWORD = 'test-admin-password';
export const TEST_SECRET_STORE_KEY = Buffer.alloc(32, 7).toString('base64');

export type TestApi = {
  app: FastifyInstance;
  store: Store;
  noop: NoopProvider;
  provisioner: Provisioner;
  adminToken: string;
  /** the id of subnet `public-subnet` */
  publicSubnetId: string;
  call(
    method: InjectOptions['method'],
    url: string,
    token?: string,
    body?: unknown,
  ): Promise<LightMyRequestResponse>;
  /** a new project, and a user holding `roles` on it; returns the user's project-scoped token */
  userWithRoles(
    roles: string[],
    projectName?: string,
  ): Promise<{ token: string; projectId: string; userId: string }>;
  /** runs `work` with the provisioner stopped, so its changes stay PENDING_*, then lets it complete them */
  held(work: () => Promise<void>): Promise<void>;
  /** `keepStore`: leave the store open for another API started on it */
  close(options?: { keepStore?: boolean }): Promise<void>;
};

let counter = 0;

export async function startTestApi(
  options: {
    store?: Store;
    networkDriver?: 'neutron' | 'noop';
    extraDrivers?: readonly ProviderDriver[];
    /** providers the API offers that agents serve (no in-process driver) */
    agentProviders?: readonly ProviderInfo[];
    /** offer the `amphora` and `octavia` aliases, served by this provider (as `--amphora-provider`) */
    amphoraProvider?: string;
    /** network ids no VIP may be on (as `--denylist-vip-networks`) */
    denylistVipNetworks?: readonly string[];
    /** the Octavia RBAC policy (as `--rbac`); default advanced */
    rbac?: RbacPolicyName;
    /** where the API logs (default: nowhere) */
    logger?: Logger;
    /** the secret store certificate refs are checked against (default: none, refs unchecked) */
    secrets?: SecretReaders;
    /** the admin TLS policy, as its `serve` options give it (default: Octavia's, nothing restricted) */
    tlsPolicy?: Pick<
      ConfigFlags,
      'tlsCipherProhibitList' | 'minimumTlsVersion' | 'allowTlsTerminatedListeners'
    >;
    /** the body cap in bytes (as `--max-request-body-size`); default oslo.middleware's */
    maxRequestBodySize?: number;
  } = {},
): Promise<TestApi> {
  const config = loadConfig(
    {
      dataDir: '/nonexistent-sluice-test',
      listen: '127.0.0.1:9876',
      networkDriver: options.networkDriver,
      provider: 'noop',
      amphoraProvider: options.amphoraProvider,
      denylistVipNetworks: options.denylistVipNetworks?.join(','),
      rbac: options.rbac,
      ...options.tlsPolicy,
      maxRequestBodySize: options.maxRequestBodySize?.toString(),
    },
    {
      SLUICE_ADMIN_PASSWORD: ADMIN_PASSWORD,
      // a fixed secret store key, so no key file is written for in-memory test APIs
      SLUICE_SECRET_STORE_KEY: TEST_SECRET_STORE_KEY,
    },
  );
  const store = options.store ?? (await openStore('sqlite::memory:'));
  const identity = new IdentityService(store, config);
  const boot = await identity.bootstrap();
  await ensurePublicNetwork(store.db, boot.adminProjectId);
  const noop = new NoopProvider();
  const changes = new ChangeFeed();
  const logger = options.logger ?? pino({ level: 'silent' });
  const drivers = new Map<string, ProviderDriver>([['noop', noop]]);
  for (const driver of options.extraDrivers ?? []) drivers.set(driver.info.name, driver);
  const provisioner = new Provisioner({ store, changes, drivers, logger, secrets: options.secrets });
  provisioner.start();
  const providers = [...[...drivers.values()].map((d) => d.info), ...(options.agentProviders ?? [])];
  const aliased = providers.find((p) => p.name === options.amphoraProvider);
  if (aliased) providers.push(...providerAliases(aliased));
  const secretCipher = await openSecretCipher(store.db, config.dataDir, config.secretStoreKey);
  const app = await buildApp(
    { store, config, identity, changes, providers, secrets: options.secrets, secretCipher },
    logger,
  );

  const call: TestApi['call'] = (method, url, token, body) =>
    app.inject({
      method,
      url,
      headers: { ...(token && { 'x-auth-token': token }), 'content-type': 'application/json' },
      ...(body !== undefined && { payload: typeof body === 'string' ? body : JSON.stringify(body) }),
    });

  async function login(user: string, password: string, project: string): Promise<string> {
    const response = await call('POST', '/v3/auth/tokens', undefined, {
      auth: {
        identity: {
          methods: ['password'],
          password: { user: { name: user, password, domain: { id: 'default' } } },
        },
        scope: { project: { name: project, domain: { id: 'default' } } },
      },
    });
    if (response.statusCode !== 201) throw new Error(`login failed: ${response.statusCode} ${response.body}`);
    return response.headers['x-subject-token'] as string;
  }

  const adminToken = await login('admin', ADMIN_PASSWORD, 'admin');
  const subnets = (await call('GET', '/v2.0/subnets?name=public-subnet', adminToken)).json();
  const publicSubnetId = subnets.subnets[0].id as string;

  const roleIds = new Map<string, string>();
  for (const role of (await call('GET', '/v3/roles', adminToken)).json().roles)
    roleIds.set(role.name, role.id);

  const userWithRoles: TestApi['userWithRoles'] = async (roles, projectName) => {
    counter += 1;
    const name = projectName ?? `project-${counter}`;
    let projectId: string;
    const existing = (await call('GET', `/v3/projects?name=${name}`, adminToken)).json().projects;
    if (existing.length > 0) projectId = existing[0].id;
    else
      projectId = (
        await call('POST', '/v3/projects', adminToken, { project: { name, domain_id: 'default' } })
      ).json().project.id;
    const userName = `user-${counter}`;
    const password = `pw-${counter}`;
    const user = (
      await call('POST', '/v3/users', adminToken, {
        user: { name: userName, password, domain_id: 'default' },
      })
    ).json().user;
    for (const role of roles) {
      const response = await call(
        'PUT',
        `/v3/projects/${projectId}/users/${user.id}/roles/${roleIds.get(role)}`,
        adminToken,
      );
      if (response.statusCode !== 204)
        throw new Error(`grant failed: ${response.statusCode} ${response.body}`);
    }
    return { token: await login(userName, password, name), projectId, userId: user.id };
  };

  return {
    app,
    store,
    noop,
    provisioner,
    adminToken,
    publicSubnetId,
    call,
    userWithRoles,
    async held(work) {
      await provisioner.stop();
      try {
        await work();
      } finally {
        provisioner.start();
        await provisioner.idle();
      }
    },
    async close(closeOptions) {
      await app.close();
      await provisioner.stop();
      if (!closeOptions?.keepStore) await store.close();
    },
  };
}
