// The field tables of the objects under a load balancer (listeners, pools, members, health monitors): where
// each lives in /v2/lbaas, which attributes its list shows, and which it takes on create and on update
// (https://docs.openstack.org/api-ref/load-balancer/v2/). One generic form and table read these.

import { LBAAS } from '../api/octavia.ts';
import type { Field } from '../components/field-input.tsx';

/** Where a table is: its load balancer, the pools and listeners under it, for members their pool, for L7
 * rules their policy. */
export type Place = {
  lbId: string;
  poolIds: readonly string[];
  listenerIds: readonly string[];
  poolId?: string;
  policyId?: string;
  /** what a create form offers to pick where the object names another (admin: profiles, projects), by id */
  choices?: Readonly<Record<string, string>>;
};
export type Row = {
  id: string;
  name?: string;
  provisioning_status: string;
  operating_status: string;
} & Record<string, unknown>;

/** A confirmed request on one row: its button, the method and path below the object, what the dialog says. */
export type RowAction = { label: string; method: 'DELETE' | 'PUT'; suffix: string; says: string };

export type ResourceSpec = {
  singular: string;
  /** the API root the collection is under (default /v2/lbaas) */
  root: string;
  /** the attribute that names an object in its URL (default id; availability zones: name, quotas: project) */
  idKey: string;
  /** the object's key in request and response bodies, and its collection's key in a list */
  key: string;
  plural: string;
  collection: (place: Place) => string;
  /** the list query (filters the API takes); rows the filter cannot express are dropped by `keep` */
  query: (place: Place) => string;
  keep?: (row: Row, place: Place) => boolean;
  columns: readonly string[];
  /** the fields of a create; no Add button when absent */
  create?: (place: Place) => readonly Field[];
  /** a create is a PUT to the object its `idKey` field names (quotas are set, not created) */
  upsert?: boolean;
  /** the fields of an update; no Edit button when absent */
  update?: readonly Field[];
  /** the row's confirmed actions (default: Delete) */
  actions: readonly RowAction[];
  /** whether rows carry provisioning and operating statuses (default yes) */
  statuses: boolean;
  /** attributes a create always sends: the parent */
  parent: (place: Place) => Record<string, unknown>;
};

export const text = (key: string, label: string, required = false): Field => ({
  key,
  label,
  kind: 'text',
  required,
});
export const number = (key: string, label: string, required = false): Field => ({
  key,
  label,
  kind: 'number',
  required,
});
export const select = (key: string, label: string, options: readonly string[]): Field => ({
  key,
  label,
  kind: 'select',
  options,
});
/** A select of the ids in `choices`, each shown by its name. */
export const pick = (key: string, label: string, choices: Readonly<Record<string, string>> = {}): Field => ({
  ...select(key, label, Object.keys(choices)),
  labels: choices,
});
export const enabled: Field = { key: 'admin_state_up', label: 'Enabled (admin state up)', kind: 'bool' };

const ALGORITHMS = ['ROUND_ROBIN', 'LEAST_CONNECTIONS', 'SOURCE_IP'] as const;

type Fields = Pick<ResourceSpec, 'columns'> &
  Partial<
    Pick<
      ResourceSpec,
      'create' | 'update' | 'upsert' | 'keep' | 'query' | 'parent' | 'root' | 'idKey' | 'actions' | 'statuses'
    >
  >;

/** A kind of object at `collection`; unless said otherwise under /v2/lbaas, named by id, with statuses,
 * listed unfiltered, created with no parent id, and deleted with a confirmation. */
export const kind = (
  key: string,
  singular: string,
  plural: string,
  collection: (place: Place) => string,
  fields: Fields,
): ResourceSpec => ({
  singular,
  key,
  plural,
  collection,
  root: LBAAS,
  idKey: 'id',
  query: () => '',
  parent: () => ({}),
  actions: [{ label: 'Delete', method: 'DELETE', suffix: '', says: `The ${singular} is deleted.` }],
  statuses: true,
  ...fields,
});

/** The path (from the origin) of a table's collection, and of one of its rows. */
export const collectionPath = (spec: ResourceSpec, place: Place) => `${spec.root}${spec.collection(place)}`;
export const rowPath = (spec: ResourceSpec, place: Place, row: Record<string, unknown>) =>
  `${collectionPath(spec, place)}/${encodeURIComponent(String(row[spec.idKey]))}`;

/** A kind the load balancer holds directly (listeners, pools): created with its id, listed filtered by it. */
const underLoadBalancer = (key: string, singular: string, fields: Fields): ResourceSpec =>
  kind(key, singular, `${key}s`, () => `/${key}s`, {
    query: (p) => `?loadbalancer_id=${p.lbId}`,
    parent: (p) => ({ loadbalancer_id: p.lbId }),
    ...fields,
  });

export const LISTENERS = underLoadBalancer('listener', 'listener', {
  columns: ['protocol', 'protocol_port', 'default_pool_id', 'connection_limit'],
  create: (p) => [
    text('name', 'Name'),
    select('protocol', 'Protocol', ['HTTP', 'TCP', 'UDP', 'TERMINATED_HTTPS']),
    number('protocol_port', 'Port', true),
    text('default_tls_container_ref', 'Certificate reference (TERMINATED_HTTPS)'),
    select('default_pool_id', 'Default pool', ['', ...p.poolIds]),
    number('connection_limit', 'Connection limit'),
    enabled,
  ],
  update: [text('name', 'Name'), number('connection_limit', 'Connection limit'), enabled],
});

export const POOLS = underLoadBalancer('pool', 'pool', {
  columns: ['protocol', 'lb_algorithm'],
  create: () => [
    text('name', 'Name'),
    select('protocol', 'Protocol', ['HTTP', 'TCP', 'UDP', 'PROXY']),
    select('lb_algorithm', 'Algorithm', ALGORITHMS),
    enabled,
  ],
  update: [text('name', 'Name'), select('lb_algorithm', 'Algorithm', ALGORITHMS), enabled],
});

export const MEMBERS = kind('member', 'member', 'members', (p) => `/pools/${p.poolId}/members`, {
  columns: ['address', 'protocol_port', 'weight'],
  create: () => [
    text('name', 'Name'),
    text('address', 'Address', true),
    number('protocol_port', 'Port', true),
    number('weight', 'Weight'),
    enabled,
  ],
  update: [text('name', 'Name'), number('weight', 'Weight'), enabled],
});

export const HEALTH_MONITORS = kind(
  'healthmonitor',
  'health monitor',
  'healthmonitors',
  () => '/healthmonitors',
  {
    // A monitor names its pool as `pools: [{id}]`; only those of this load balancer's pools are its own.
    keep: (row, p) => p.poolIds.includes((row.pools as { id: string }[] | undefined)?.[0]?.id ?? ''),
    columns: ['type', 'delay', 'timeout', 'max_retries'],
    create: (p) => [
      select('pool_id', 'Pool', p.poolIds),
      select('type', 'Type', ['HTTP', 'TCP', 'PING', 'UDP-CONNECT']),
      number('delay', 'Delay (s)', true),
      number('timeout', 'Timeout (s)', true),
      number('max_retries', 'Max retries', true),
      enabled,
    ],
    update: [
      text('name', 'Name'),
      number('delay', 'Delay (s)'),
      number('timeout', 'Timeout (s)'),
      number('max_retries', 'Max retries'),
      enabled,
    ],
  },
);

const L7_ACTIONS = ['REJECT', 'REDIRECT_TO_URL', 'REDIRECT_TO_POOL', 'REDIRECT_PREFIX'] as const;

export const L7_POLICIES = kind('l7policy', 'L7 policy', 'l7policies', () => '/l7policies', {
  keep: (row, p) => p.listenerIds.includes(String(row.listener_id)),
  columns: ['listener_id', 'action', 'position', 'redirect_pool_id', 'redirect_url'],
  create: (p) => [
    text('name', 'Name'),
    select('listener_id', 'Listener', p.listenerIds),
    select('action', 'Action', L7_ACTIONS),
    number('position', 'Position'),
    select('redirect_pool_id', 'Redirect pool', ['', ...p.poolIds]),
    text('redirect_url', 'Redirect URL'),
    enabled,
  ],
  update: [
    text('name', 'Name'),
    select('action', 'Action', L7_ACTIONS),
    number('position', 'Position'),
    text('redirect_url', 'Redirect URL'),
    enabled,
  ],
});

const RULE_TYPES = ['PATH', 'HOST_NAME', 'HEADER', 'COOKIE', 'FILE_TYPE'] as const;
const COMPARE_TYPES = ['EQUAL_TO', 'STARTS_WITH', 'ENDS_WITH', 'CONTAINS', 'REGEX'] as const;
const invert: Field = { key: 'invert', label: 'Invert', kind: 'bool', initially: false };

export const L7_RULES = kind('rule', 'rule', 'rules', (p) => `/l7policies/${p.policyId}/rules`, {
  columns: ['type', 'compare_type', 'key', 'value', 'invert'],
  create: () => [
    select('type', 'Type', RULE_TYPES),
    select('compare_type', 'Compare', COMPARE_TYPES),
    text('key', 'Key (header or cookie name)'),
    text('value', 'Value', true),
    invert,
    enabled,
  ],
  update: [select('compare_type', 'Compare', COMPARE_TYPES), text('value', 'Value'), invert, enabled],
});
