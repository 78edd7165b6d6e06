// The field tables of the objects under a load balancer (listeners, pools, members, health monitors): where
// each lives in /v2/lbaas, which attributes its list shows, and which it takes on create and on update
// (https://docs.openstack.org/api-ref/load-balancer/v2/). One generic form and table read these.
import type { Field } from '../components/field-input.tsx';

/** Where a table is: its load balancer, the pools under it, and for members their pool. */
export type Place = { lbId: string; poolIds: readonly string[]; poolId?: string };
export type Row = {
  id: string;
  name?: string;
  provisioning_status: string;
  operating_status: string;
} & Record<string, unknown>;

export type ResourceSpec = {
  singular: string;
  /** the object's key in request and response bodies, and its collection's key in a list */
  key: string;
  plural: string;
  collection: (place: Place) => string;
  /** the list query (filters the API takes); rows the filter cannot express are dropped by `keep` */
  query: (place: Place) => string;
  keep?: (row: Row, place: Place) => boolean;
  columns: readonly string[];
  create: (place: Place) => readonly Field[];
  update: readonly Field[];
  /** attributes a create always sends: the parent */
  parent: (place: Place) => Record<string, unknown>;
};

const text = (key: string, label: string, required = false): Field => ({
  key,
  label,
  kind: 'text',
  required,
});
const number = (key: string, label: string, required = false): Field => ({
  key,
  label,
  kind: 'number',
  required,
});
const select = (key: string, label: string, options: readonly string[]): Field => ({
  key,
  label,
  kind: 'select',
  options,
});
const enabled: Field = { key: 'admin_state_up', label: 'Enabled (admin state up)', kind: 'bool' };

const ALGORITHMS = ['ROUND_ROBIN', 'LEAST_CONNECTIONS', 'SOURCE_IP'] as const;

/** A kind the load balancer holds directly (listeners, pools): created with its id, listed filtered by it. */
const underLoadBalancer = (
  key: string,
  singular: string,
  fields: Pick<ResourceSpec, 'columns' | 'create' | 'update'>,
): ResourceSpec => ({
  singular,
  key,
  plural: `${key}s`,
  collection: () => `/${key}s`,
  query: (p) => `?loadbalancer_id=${p.lbId}`,
  parent: (p) => ({ loadbalancer_id: p.lbId }),
  ...fields,
});

export const LISTENERS = underLoadBalancer('listener', 'listener', {
  columns: ['protocol', 'protocol_port', 'default_pool_id', 'connection_limit'],
  create: (p) => [
    text('name', 'Name'),
    select('protocol', 'Protocol', ['HTTP', 'TCP', 'UDP']),
    number('protocol_port', 'Port', true),
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

export const MEMBERS: ResourceSpec = {
  singular: 'member',
  key: 'member',
  plural: 'members',
  collection: (p) => `/pools/${p.poolId}/members`,
  query: () => '',
  columns: ['address', 'protocol_port', 'weight'],
  create: () => [
    text('name', 'Name'),
    text('address', 'Address', true),
    number('protocol_port', 'Port', true),
    number('weight', 'Weight'),
    enabled,
  ],
  update: [text('name', 'Name'), number('weight', 'Weight'), enabled],
  parent: () => ({}),
};

export const HEALTH_MONITORS: ResourceSpec = {
  singular: 'health monitor',
  key: 'healthmonitor',
  plural: 'healthmonitors',
  collection: () => '/healthmonitors',
  query: () => '',
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
  parent: () => ({}),
};
