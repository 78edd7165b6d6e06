// A minimal Fastify app for route tests: the real body handling, faults and auth hook, with a token
// validator that maps test tokens to AuthContexts the test builds (a double for identity only; the store
// and the routes under test are real).
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import type { ApiContext } from '../../src/api/context.ts';
import { createHttpApp } from '../../src/api/http-app.ts';
import { loadConfig } from '../../src/config/config.ts';
import type { AuthContext } from '../../src/identity/auth-context.ts';
import { IdentityService } from '../../src/identity/identity-service.ts';
import { ChangeFeed } from '../../src/store/change-feed.ts';
import type { Store } from '../../src/store/database.ts';

export const PUBLIC_URL = 'http://sluice.test:9876';

/** An AuthContext for a test token: project-scoped unless `projectId` is null. */
export function authContext(fields: {
  userId: string;
  projectId: string | null;
  roles?: string[];
}): AuthContext {
  return {
    userId: fields.userId,
    userName: fields.userId,
    userDomainId: 'default',
    projectId: fields.projectId,
    projectName: fields.projectId,
    systemScope: fields.projectId === null,
    roles: (fields.roles ?? ['member']).map((role) => role.toLowerCase()),
    tokenExpiresAt: '2999-01-01T00:00:00.000Z',
  };
}

export type FakeAuthApp = {
  app: FastifyInstance;
  context: ApiContext;
  call(
    method: InjectOptions['method'],
    url: string,
    token?: string,
    body?: unknown,
  ): Promise<LightMyRequestResponse>;
};

export async function buildFakeAuthApp(options: {
  store: Store;
  tokens: Readonly<Record<string, AuthContext>>;
  register: (app: FastifyInstance, context: ApiContext) => Promise<void>;
}): Promise<FakeAuthApp> {
  const config = loadConfig({ dataDir: '/nonexistent-sluice-test', publicUrl: PUBLIC_URL }, {});
  const context: ApiContext = {
    store: options.store,
    config,
    identity: new IdentityService(options.store, config),
    changes: new ChangeFeed(),
    providers: [],
  };
  const app = createHttpApp({
    validateToken: async (token) => options.tokens[token] ?? null,
    authUrl: `${PUBLIC_URL}/identity`,
  });
  await options.register(app, context);
  await app.ready();

  const call: FakeAuthApp['call'] = (method, url, token, body) =>
    app.inject({
      method,
      url,
      headers: { ...(token && { 'x-auth-token': token }), 'content-type': 'application/json' },
      ...(body !== undefined && { payload: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
  return { app, context, call };
}
