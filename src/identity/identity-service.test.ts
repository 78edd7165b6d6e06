// Behaviour of the identity service on every store dialect: bootstrap (idempotent, admin-openrc 0600,
// password from the environment), token validation (scopes, roles, expiry, revocation) and passwords.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { testConfig } from '../../test/helpers/keystone-test-app.ts';
import { storeDialects } from '../../test/helpers/store-dialects.ts';
import type { SluiceConfig } from '../config/config.ts';
import type { Store } from '../store/database.ts';
import { readAdminOpenrcPassword } from './admin-openrc.ts';
import { BOOTSTRAP_ROLES } from './bootstrap.ts';
import { IdentityService } from './identity-service.ts';
import type { AuthRequest } from './identity-types.ts';
import { hashPassword, verifyPassword } from './passwords.ts';

// A quote and a space exercise the shell quoting of admin-openrc.
const ENV_PASSWORD = "it's from the environment";

const login = (password: string, scope: AuthRequest['scope']): AuthRequest => ({
  methods: ['password'],
  password: { userName: 'admin', domainName: 'Default', password },
  scope,
});

for (const dialect of storeDialects()) {
  describe(`identity service (${dialect.name})`, () => {
    let store: Store;
    let config: SluiceConfig;
    before(async () => {
      store = await dialect.open();
      config = testConfig({ adminPassword: undefined });
    });
    after(async () => {
      await store.close();
      fs.rmSync(config.dataDir, { recursive: true, force: true });
    });

    test('generates the admin password on first start and writes it to admin-openrc with mode 0600', async () => {
      const result = await new IdentityService(store, config).bootstrap();
      assert.equal(result.generated, true);
      assert.equal(result.openrcPath, `${config.dataDir}/admin-openrc`);
      assert.equal(fs.statSync(result.openrcPath).mode & 0o777, 0o600);
      const text = fs.readFileSync(result.openrcPath, 'utf8');
      for (const line of [
        `export OS_AUTH_URL=${config.publicUrl}/v3`,
        'export OS_USERNAME=admin',
        `export OS_PASSWORD=${result.adminPassword}`,
        'export OS_PROJECT_NAME=admin',
        'export OS_USER_DOMAIN_NAME=Default',
        'export OS_PROJECT_DOMAIN_NAME=Default',
        'export OS_IDENTITY_API_VERSION=3',
      ]) {
        assert.ok(text.split('\n').includes(line), line);
      }
      assert.ok(result.adminPassword.length >= 20);
    });

    test('bootstraps idempotently: a second start creates nothing and keeps the password', async () => {
      const identity = new IdentityService(store, config);
      const first = await readAdminOpenrcPassword(config);
      const again = await identity.bootstrap();
      assert.equal(again.generated, false);
      assert.equal(again.adminPassword, first);
      assert.deepEqual(
        (await identity.roles.listRoles()).map((role) => role.name).sort(),
        [...BOOTSTRAP_ROLES].sort(),
      );
      assert.equal((await identity.directory.listProjects()).length, 1);
      assert.equal((await identity.directory.listUsers()).length, 1);
      assert.deepEqual(
        (await identity.directory.listDomains()).map((d) => [d.id, d.name]),
        [['default', 'Default']],
      );
      assert.equal((await identity.roles.listAssignments({})).length, 2);
      await identity.issueToken(login(first ?? '', { kind: 'system' }));
    });

    test('adopts SLUICE_ADMIN_PASSWORD on a later start and fixes the stale admin-openrc', async () => {
      const identity = new IdentityService(store, { ...config, adminPassword: ENV_PASSWORD });
      const result = await identity.bootstrap();
      assert.equal(result.adminPassword, ENV_PASSWORD);
      assert.equal(await readAdminOpenrcPassword(config), ENV_PASSWORD);
      await assert.rejects(identity.issueToken(login('wrong', { kind: 'unscoped' })), { status: 401 });
      const issued = await identity.issueToken(login(ENV_PASSWORD, { kind: 'unscoped' }));
      assert.equal(issued.info.project, null);
    });

    test('validates a project token with the user’s lower-cased roles on that project', async () => {
      const identity = new IdentityService(store, { ...config, adminPassword: ENV_PASSWORD });
      const project = await identity.directory.createProject({ name: 'validation' });
      const user = await identity.directory.createUser({ name: 'val-user', password: 'pw' });
      const role = await identity.roles.createRole('Load-Balancer_Observer-X');
      await identity.roles.grant(user.id, { kind: 'project', projectId: project.id }, role.id);
      const issued = await identity.issueToken({
        methods: ['password'],
        password: { userId: user.id, password: 'pw' },
        scope: { kind: 'project', name: 'validation' },
      });
      const ctx = await identity.validateToken(issued.token);
      assert.deepEqual(ctx, {
        userId: user.id,
        userName: 'val-user',
        userDomainId: 'default',
        projectId: project.id,
        projectName: 'validation',
        systemScope: false,
        roles: ['load-balancer_observer-x'],
        tokenExpiresAt: issued.info.expiresAt,
      });
      // Losing the last role on the project ends the token.
      await identity.roles.revoke(user.id, { kind: 'project', projectId: project.id }, role.id);
      assert.equal(await identity.validateToken(issued.token), null);
    });

    test('answers null for an expired, a revoked and an unknown token', async () => {
      const identity = new IdentityService(store, { ...config, adminPassword: ENV_PASSWORD });
      const expired = await identity.issueToken(login(ENV_PASSWORD, { kind: 'system' }));
      await store.db.updateTable('tokens').set({ expires_at: '2000-01-01T00:00:00.000Z' }).execute();
      assert.equal(await identity.validateToken(expired.token), null);
      const revoked = await identity.issueToken(login(ENV_PASSWORD, { kind: 'system' }));
      assert.notEqual(await identity.validateToken(revoked.token), null);
      assert.equal(await identity.revokeToken(revoked.token), true);
      assert.equal(await identity.validateToken(revoked.token), null);
      assert.equal(await identity.revokeToken(revoked.token), false);
      assert.equal(await identity.validateToken('never-issued'), null);
    });

    test('refuses a project scope on which the user holds no role with 401', async () => {
      const identity = new IdentityService(store, { ...config, adminPassword: ENV_PASSWORD });
      await identity.directory.createProject({ name: 'roleless' });
      await assert.rejects(identity.issueToken(login(ENV_PASSWORD, { kind: 'project', name: 'roleless' })), {
        code: 'identity.invalid-credentials',
      });
    });
  });
}

describe('passwords', () => {
  test('verifies the right password and rejects a wrong one or a foreign hash', async () => {
    const stored = await hashPassword('s3cret');
    assert.match(stored, /^scrypt\$16384\$8\$1\$/);
    assert.equal(await verifyPassword('s3cret', stored), true);
    assert.equal(await verifyPassword('S3cret', stored), false);
    assert.equal(await verifyPassword('s3cret', '$2b$12$bcrypt-hash'), false);
    assert.notEqual(await hashPassword('s3cret'), stored);
  });
});
