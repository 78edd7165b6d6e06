// Serves `/openapi.json`: an OpenAPI 3.0 document of the whole surface. Operations are collected from the
// routes Fastify actually registers (one canonical prefix per API family), so the document cannot drift
// from the server; request bodies come from the same field descriptors the parser enforces.
import type { FastifyInstance } from 'fastify';
import type { ObjectFields } from '../wire/field-types.ts';
import { objectSchema } from './field-schema.ts';

/** The prefix a path is documented under; the aliases (`/v2.0/lbaas`, `/load-balancer/…`) are listed once. */
const CANONICAL = [
  /^\/v2\/lbaas\//,
  /^\/v2\/octavia\//,
  /^\/v3(\/|$)/,
  /^\/v2\.0\/(?!lbaas\/)/,
  /^\/v2$/,
  /^\/$/,
];
const ALIASES = [
  /^\/v2\.0\/(loadbalancers|listeners|pools|healthmonitors|l7policies|quotas|providers|flavors|flavorprofiles|availabilityzones|availabilityzoneprofiles)/,
];

export type BodyCatalog = ReadonlyMap<string, ObjectFields>;

type Operation = { method: string; path: string; family: string; public: boolean };

export function registerOpenApi(app: FastifyInstance, bodies: BodyCatalog, version: string): void {
  const operations: Operation[] = [];
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (!CANONICAL.some((re) => re.test(route.url)) || ALIASES.some((re) => re.test(route.url))) return;
    for (const method of methods) {
      if (method === 'HEAD' && methods.includes('GET')) continue;
      operations.push({
        method: method.toLowerCase(),
        path: route.url,
        family: route.config?.family ?? 'octavia',
        public: route.config?.public === true,
      });
    }
  });
  let document: Record<string, unknown> | undefined;
  // Registered as `/openapi`: the `.json` suffix is stripped from every URL before routing (http-app.ts),
  // so this serves `/openapi.json` (and `/openapi`).
  app.get('/openapi', { config: { public: true, family: 'octavia' } }, async () => {
    document ??= buildDocument(operations, bodies, version);
    return document;
  });
}

function buildDocument(
  operations: Operation[],
  bodies: BodyCatalog,
  version: string,
): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of [...operations].sort((a, b) => a.path.localeCompare(b.path))) {
    const path = op.path.replace(/:(\w+)/g, '{$1}');
    const params = [...op.path.matchAll(/:(\w+)/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    const body = bodies.get(`${op.method.toUpperCase()} ${op.path}`);
    paths[path] ??= {};
    paths[path][op.method] = {
      tags: [
        op.family === 'keystone' ? 'identity' : op.family === 'neutron' ? 'networking' : 'load-balancer',
      ],
      operationId: `${op.method}${path.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
      ...(params.length > 0 && { parameters: params }),
      ...(body && {
        requestBody: { required: true, content: { 'application/json': { schema: objectSchema(body) } } },
      }),
      ...(op.public ? { security: [] } : {}),
      responses: { default: { description: "The resource, or a fault body in the API family's format" } },
    };
  }
  return {
    openapi: '3.0.3',
    info: {
      title: 'Sluice',
      version,
      description:
        'Load balancing as a service: the OpenStack Octavia v2 load-balancer API, with the Keystone v3 and Neutron v2.0 subsets it needs. Every path is also served under /load-balancer, /identity and /networking, and the load-balancer paths under /v2.0/lbaas.',
    },
    components: { securitySchemes: { token: { type: 'apiKey', in: 'header', name: 'X-Auth-Token' } } },
    security: [{ token: [] }],
    paths,
  };
}
