// The field tables of what an admin manages (https://docs.openstack.org/api-ref/load-balancer/v2/): flavor
// and availability zone profiles and the flavors and zones made from them, every project's quotas, and the
// amphorae with their failover. The generic ResourceTable and ResourceForm read these as they do the others.

import type { Field } from '../components/field-input.tsx';
import { kind, number, pick, text } from './resource-specs.ts';

const on: Field = { key: 'enabled', label: 'Enabled', kind: 'bool' };
const name = text('name', 'Name', true);
const description = text('description', 'Description');

/** A provider profile (of flavors or zones): a name, its provider, and data for the provider as JSON text. */
const profile = (
  key: string,
  singular: string,
  plural: string,
  path: string,
  data: string,
  label: string,
) => {
  const provided = (required: boolean) => [
    text('provider_name', 'Provider', required),
    text(data, label, required),
  ];
  return kind(key, singular, plural, () => path, {
    statuses: false,
    columns: ['id', 'provider_name', data],
    create: () => [name, ...provided(true)],
    update: [name, ...provided(false)],
  });
};

export const FLAVOR_PROFILES = profile(
  'flavorprofile',
  'flavor profile',
  'flavorprofiles',
  '/flavorprofiles',
  'flavor_data',
  'Flavor data (JSON)',
);

export const FLAVORS = kind('flavor', 'flavor', 'flavors', () => '/flavors', {
  statuses: false,
  columns: ['description', 'flavor_profile_id', 'enabled'],
  create: (p) => [name, description, pick('flavor_profile_id', 'Flavor profile', p.choices), on],
  update: [name, description, on],
});

export const AZ_PROFILES = profile(
  'availability_zone_profile',
  'availability zone profile',
  'availability_zone_profiles',
  '/availabilityzoneprofiles',
  'availability_zone_data',
  'Availability zone data (JSON)',
);

/** Zones are named by their name in their URL (PUT and DELETE /availabilityzones/{name}). */
export const AVAILABILITY_ZONES = kind(
  'availability_zone',
  'availability zone',
  'availability_zones',
  () => '/availabilityzones',
  {
    statuses: false,
    idKey: 'name',
    columns: ['description', 'availability_zone_profile_id', 'enabled'],
    create: (p) => [
      name,
      description,
      pick('availability_zone_profile_id', 'Availability zone profile', p.choices),
      on,
    ],
    update: [description, on],
  },
);

/** Octavia's quota attributes (-1 unlimited, 0 none allowed; empty leaves one as it is). */
const LIMITS = [
  'load_balancer',
  'listener',
  'pool',
  'member',
  'healthmonitor',
  'l7policy',
  'l7rule',
] as const;
const limits = LIMITS.map((key) => number(key, `${key} (-1 = unlimited)`));

/** A project's quotas are set with PUT /quotas/{project_id} and reset to the defaults with DELETE. */
export const QUOTAS = kind('quota', 'quotas', 'quotas', () => '/quotas', {
  statuses: false,
  idKey: 'project_id',
  upsert: true,
  columns: ['project_id', ...LIMITS],
  create: (p) => [pick('project_id', 'Project', p.choices), ...limits],
  update: limits,
  actions: [
    {
      label: 'Reset',
      method: 'DELETE',
      suffix: '',
      says: 'The project’s quotas go back to the configured defaults.',
    },
  ],
});

/** Amphorae live under /v2/octavia; a failover replaces one, its load balancer PENDING_UPDATE until done. */
export const AMPHORAE = kind('amphora', 'amphora', 'amphorae', () => '/amphorae', {
  root: '/v2/octavia',
  statuses: false,
  columns: ['loadbalancer_id', 'role', 'status', 'lb_network_ip', 'ha_ip'],
  actions: [
    {
      label: 'Failover',
      method: 'PUT',
      suffix: '/failover',
      says: 'The amphora is replaced; its load balancer is PENDING_UPDATE until it is ACTIVE again.',
    },
  ],
});
