// `/providers`: the enabled provider drivers, and what each accepts in flavor and availability zone
// profiles (reference §10.2; RBAC §9.2: provider read, provider-flavor / provider-availability-zone admin).
// These are not database collections: only `fields` applies, plus exact `name`/`description` filters on
// the capability lists; other query parameters are ignored, as in Octavia.
import type { FastifyInstance } from 'fastify';
import type { PolicyObject } from '../../../identity/policy.ts';
import type { ProviderCapability } from '../../../model/provider-capabilities.ts';
import type { ApiContext } from '../../context.ts';
import { caller } from '../../plugins/auth.ts';
import { one, project, type Query } from '../../wire/listing.ts';
import { capabilitiesOf, enabledProvider, type MetadataKind } from '../provider-data.ts';
import { octaviaRbac } from '../rbac.ts';
import { capabilityToWire, providerToWire } from './wire.ts';

type NameParams = { Params: { name: string }; Querystring: Query };
const octavia = { config: { family: 'octavia' as const } };

const CAPABILITY_ROUTES: readonly { path: string; kind: MetadataKind; policy: PolicyObject; key: string }[] =
  [
    {
      path: 'flavor_capabilities',
      kind: 'flavor',
      policy: 'provider-flavor',
      key: 'flavor_capabilities',
    },
    {
      path: 'availability_zone_capabilities',
      kind: 'availability_zone',
      policy: 'provider-availability-zone',
      key: 'availability_zone_capabilities',
    },
  ];

export async function registerProviderRoutes(app: FastifyInstance, context: ApiContext): Promise<void> {
  const { enforce } = octaviaRbac(context.config);
  app.get<{ Querystring: Query }>('/providers', octavia, async (request) => {
    enforce(caller(request), 'provider', 'get_all', caller(request).projectId);
    return { providers: context.providers.map((p) => project(providerToWire(p), request.query)) };
  });

  for (const route of CAPABILITY_ROUTES) {
    app.get<NameParams>(`/providers/:name/${route.path}`, octavia, async (request) => {
      enforce(caller(request), route.policy, 'get_all', caller(request).projectId);
      const provider = enabledProvider(context, request.params.name);
      const capabilities = filterCapabilities(capabilitiesOf(provider, route.kind, 'list'), request.query);
      return { [route.key]: capabilities.map((c) => project(capabilityToWire(c), request.query)) };
    });
  }
}

/** Octavia's exact-match `name` and `description` filters on capability lists (provider.py). */
function filterCapabilities(capabilities: readonly ProviderCapability[], query: Query): ProviderCapability[] {
  const name = one(query.name);
  const description = one(query.description);
  return capabilities.filter(
    (c) => (!name || c.name === name) && (!description || c.description === description),
  );
}
