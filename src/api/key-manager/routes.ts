// The built-in secret store as a Barbican v1 subset under the catalog prefix `/key-manager`: version
// documents, secrets, containers, consumers and ACLs. Payloads are sealed with the secret store's cipher,
// opened once at start by whoever wires the process (openSecretCipher: key loaded or made, checked).
import type { FastifyInstance } from 'fastify';
import type { ApiContext } from '../context.ts';
import { registerAclRoutes } from './acls-routes.ts';
import { registerContainerRoutes } from './containers-routes.ts';
import type { KeyManagerContext } from './key-manager-context.ts';
import { requestedVersion, versionAtLeast } from './key-manager-http.ts';
import { versionInfo, versionList } from './key-manager-versions.ts';
import { registerSecretRoutes } from './secrets-routes.ts';

export const KEY_MANAGER_PREFIX = '/key-manager';
const API = `${KEY_MANAGER_PREFIX}/v1`;
const PUBLIC_ROUTE = { config: { family: 'key-manager' as const, public: true } };
const ROUTE = { config: { family: 'key-manager' as const } };

export async function registerKeyManagerRoutes(app: FastifyInstance, context: ApiContext): Promise<void> {
  const cipher = context.secretCipher;
  if (!cipher) throw new Error('the key-manager API needs the secret store cipher (openSecretCipher)');
  const base = `${context.config.publicUrl}${KEY_MANAGER_PREFIX}`;
  const keyManager: KeyManagerContext = { db: context.store.db, cipher, hrefs: { base } };

  await app.register(async (scope) => {
    // Binary payloads (PUT with application/octet-stream) must reach the route as bytes, not UTF-8 text.
    scope.addContentTypeParser('application/octet-stream', { parseAs: 'buffer' }, (_request, body, done) =>
      done(null, body),
    );
    // microversion_parse's middleware names the version it served on every answer.
    scope.addHook('onSend', async (request, reply) => {
      reply.header('OpenStack-API-Version', `key-manager ${requestedVersion(request)}`);
      reply.header('Vary', 'OpenStack-API-Version');
    });
    // The version list is public (barbican-api-paste.ini serves `/` without keystonemiddleware).
    scope.get(KEY_MANAGER_PREFIX, PUBLIC_ROUTE, async (request, reply) =>
      reply.code(300).send(versionList(base, versionAtLeast(requestedVersion(request), '1.1'))),
    );
    scope.get(API, ROUTE, async (request) => ({
      version: versionInfo(base, versionAtLeast(requestedVersion(request), '1.1')),
    }));
    registerSecretRoutes(scope, keyManager, API);
    registerContainerRoutes(scope, keyManager, API);
    registerAclRoutes(scope, keyManager, API);
  });
}
