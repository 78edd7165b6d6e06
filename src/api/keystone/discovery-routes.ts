// Version discovery (reference §0, §1.1): `GET /v3` and `/identity/v3` answer the v3 document, and the
// identity catalog URL `/identity` answers `{"versions": {"values": [<v3>]}}`. All public.
import type { FastifyInstance } from 'fastify';
import type { ApiContext } from '../context.ts';
import { PUBLIC_KEYSTONE_ROUTE } from './keystone-access.ts';

export const IDENTITY_API_VERSION = 'v3.14';

export function v3Document(selfHref: string): Record<string, unknown> {
  return {
    id: IDENTITY_API_VERSION,
    status: 'stable',
    updated: '2020-04-07T00:00:00Z',
    links: [{ rel: 'self', href: selfHref }],
    'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.identity-v3+json' }],
  };
}

export function registerDiscoveryRoutes(app: FastifyInstance, context: ApiContext): void {
  const base = context.config.publicUrl;
  for (const prefix of ['/v3', '/identity/v3']) {
    app.get(prefix, PUBLIC_KEYSTONE_ROUTE, async () => ({ version: v3Document(`${base}${prefix}/`) }));
  }
  const versions = async () => ({ versions: { values: [v3Document(`${base}/identity/v3/`)] } });
  app.get('/identity', PUBLIC_KEYSTONE_ROUTE, versions);
  // With ignoreTrailingSlash (the real app) '/identity' already answers '/identity/'; declaring it again throws.
  const router = app.initialConfig.routerOptions;
  if (!(router?.ignoreTrailingSlash ?? app.initialConfig.ignoreTrailingSlash)) {
    app.get('/identity/', PUBLIC_KEYSTONE_ROUTE, versions);
    app.get('/v3/', PUBLIC_KEYSTONE_ROUTE, async () => ({ version: v3Document(`${base}/v3/`) }));
    app.get('/identity/v3/', PUBLIC_KEYSTONE_ROUTE, async () => ({
      version: v3Document(`${base}/identity/v3/`),
    }));
  }
}
