// What Neutron clients read before anything else: the version document at the catalog root (public), the
// v2.0 resource list, the extension list, and the always-empty subnet pools.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { SluiceError } from '../../errors.ts';
import type { ApiContext } from '../context.ts';
import { NEUTRON_PUBLIC_ROUTE, NEUTRON_ROUTE } from './neutron-http.ts';

/** Neutron's own extension descriptors for what Sluice serves (identity-networking-v1.md §2). */
export const EXTENSIONS = [
  {
    alias: 'lbaas',
    name: 'LoadBalancing service',
    description: 'Extension for LoadBalancing service',
    updated: '2012-10-07T10:00:00-00:00',
  },
  {
    alias: 'lbaasv2',
    name: 'LoadBalancing service v2',
    description: 'Extension for LoadBalancing service v2',
    updated: '2014-12-22T10:00:00-00:00',
  },
  {
    alias: 'router',
    name: 'Neutron L3 Router',
    description:
      'Router abstraction for basic L3 forwarding between L2 Neutron networks and access to external networks via a NAT gateway.',
    updated: '2012-07-20T10:00:00-00:00',
  },
  {
    alias: 'external-net',
    name: 'Neutron external network',
    description: 'Adds external network attribute to network resource.',
    updated: '2013-01-14T10:00:00-00:00',
  },
  {
    alias: 'extraroute',
    name: 'Neutron Extra Route',
    description: 'Extra routes configuration for L3 router',
    updated: '2013-02-01T10:00:00-00:00',
  },
  {
    alias: 'extraroute-atomic',
    name: 'Atomically add/remove extra routes',
    description: 'Edit extra routes of a router on server side by atomically adding/removing extra routes',
    updated: '2019-07-10T00:00:00+00:00',
  },
  {
    // Policies and rule types (qos/routes.ts); no rule type is supported, so no rule collection is served,
    // and ports and networks do not carry qos_policy_id.
    alias: 'qos',
    name: 'Quality of Service',
    description: 'The Quality of Service extension.',
    updated: '2015-06-08T10:00:00-00:00',
  },
  {
    alias: 'qos-default',
    name: 'QoS default policy',
    description: 'Expose the QoS default policy per project',
    // sic: neutron-lib's qos_default.py UPDATED_TIMESTAMP
    updated: '2017-041-06T10:00:00-00:00',
  },
  {
    alias: 'provider',
    name: 'Provider Network',
    description: 'Expose mapping of virtual networks to physical networks',
    updated: '2012-09-07T10:00:00-00:00',
  },
  {
    alias: 'allowed-address-pairs',
    name: 'Allowed Address Pairs',
    description: 'Provides allowed address pairs',
    updated: '2013-07-23T10:00:00-00:00',
  },
  {
    alias: 'standard-attr-description',
    name: 'standard-attr-description',
    description: 'Extension to add descriptions to standard attributes',
    updated: '2016-02-10T10:00:00-00:00',
  },
  {
    alias: 'standard-attr-tag',
    // Neutron names the taggable resources; Sluice's are these six (tags-routes.ts).
    name: 'Tag support for resources with standard attribute: network, subnet, port, router, floatingip, security_group',
    description: 'Enables to set tag on resources with standard attribute.',
    updated: '2017-01-01T00:00:00-00:00',
  },
  {
    alias: 'security-group',
    name: 'security-group',
    description: 'The security groups extension.',
    updated: '2012-10-05T10:00:00-00:00',
  },
  {
    alias: 'stateful-security-group',
    name: 'Stateful security group',
    description: 'Indicates if the security group is stateful or not',
    updated: '2019-11-26T09:00:00-00:00',
  },
  {
    alias: 'security-groups-normalized-cidr',
    name: 'Normalized CIDR field for security group rules',
    description: 'Add new field with normalized remote_ip_prefix cidr in SG rule',
    updated: '2020-07-28T10:00:00-00:00',
  },
  {
    alias: 'security-groups-rules-belongs-to-default-sg',
    name: "Security group rule belongs to the project's default security group",
    description:
      "Flag to determine if the security group rule belongs to the project's default security group",
    updated: '2023-05-23T10:00:00-00:00',
  },
].map((extension) => ({ ...extension, links: [] as unknown[] }));

const CORE_RESOURCES = [
  ['subnet', 'subnets'],
  ['subnetpool', 'subnetpools'],
  ['network', 'networks'],
  ['port', 'ports'],
] as const;

/** Links follow the path the client used: under the catalog prefix, or unprefixed. */
const apiBase = (request: FastifyRequest, publicUrl: string): string =>
  request.url.startsWith('/networking') ? `${publicUrl}/networking/v2.0` : `${publicUrl}/v2.0`;

export function registerDiscoveryRoutes(
  app: FastifyInstance,
  context: ApiContext,
  prefixes: readonly string[],
): void {
  const publicUrl = context.config.publicUrl;

  app.get('/networking', NEUTRON_PUBLIC_ROUTE, async () => ({
    versions: [
      { id: 'v2.0', status: 'CURRENT', links: [{ href: `${publicUrl}/networking/v2.0/`, rel: 'self' }] },
    ],
  }));

  for (const prefix of prefixes) {
    app.get(prefix, NEUTRON_ROUTE, async (request) => {
      const base = apiBase(request, publicUrl);
      return {
        resources: CORE_RESOURCES.map(([name, collection]) => ({
          name,
          collection,
          links: [{ href: `${base}/${collection}`, rel: 'self' }],
        })),
      };
    });
    app.get(`${prefix}/extensions`, NEUTRON_ROUTE, async () => ({ extensions: EXTENSIONS }));
    app.get(`${prefix}/extensions/:id`, NEUTRON_ROUTE, async (request) => {
      const alias = (request.params as { id: string }).id;
      const extension = EXTENSIONS.find((e) => e.alias === alias);
      if (!extension)
        throw new SluiceError('network.not-found', { kind: 'Extension', id: alias }, 'NotFound');
      return { extension };
    });
    app.get(`${prefix}/subnetpools`, NEUTRON_ROUTE, async () => ({ subnetpools: [] }));
  }
}
