// Reads one live load balancer and everything under it into the stack shape (each object also carrying its
// id): pool references become pool names, the VIP subnet its Neutron name when that name is unique.
import type { ApiClient, ApiObject } from './api-client.ts';
import { CliError } from './cli-error.ts';
import { findResource } from './find-resource.ts';
import { KINDS } from './resource-kinds.ts';
import type { Stack } from './stack-document.ts';
import { STACK_FIELDS, type StackKind, type StackObject } from './stack-fields.ts';

const ids = (list: unknown) => ((list ?? []) as { id: string }[]).map((o) => o.id);

async function get(api: ApiClient, path: string, envelope: string): Promise<ApiObject> {
  return ((await api.lbaas('GET', path)) as Record<string, ApiObject>)[envelope];
}

async function subnetName(api: ApiClient, id: string): Promise<string> {
  const found = (await api.network(`/subnets?id=${encodeURIComponent(id)}`)) as { subnets: ApiObject[] };
  const name = found.subnets[0]?.name as string | undefined;
  if (!name) return id;
  const named = (await api.network(`/subnets?name=${encodeURIComponent(name)}`)) as { subnets: ApiObject[] };
  return named.subnets.length === 1 ? name : id;
}

/** The stack fields of one API object (references still ids) plus its id. */
function fieldsOf(kind: StackKind, object: ApiObject): StackObject {
  const out: StackObject = { id: object.id };
  for (const spec of STACK_FIELDS[kind]) out[spec.field] = object[spec.api ?? spec.field] ?? null;
  return out;
}

/** The live stack of the load balancer named (or with the id) `nameOrId`, or null when there is none. */
export async function readLiveStack(
  api: ApiClient,
  nameOrId: string,
  mustExist = false,
): Promise<Stack | null> {
  let lb: ApiObject;
  try {
    lb = await findResource(api, KINDS.loadbalancer, nameOrId);
  } catch (error) {
    if (!mustExist && error instanceof CliError && error.message.startsWith('No load balancer')) return null;
    throw error;
  }
  const stack = fieldsOf('loadbalancer', lb);
  stack.vip_subnet = await subnetName(api, lb.vip_subnet_id as string);
  const poolName = new Map<string, string>();
  const pools: StackObject[] = [];
  for (const id of ids(lb.pools)) {
    const pool = await get(api, `/pools/${id}`, 'pool');
    poolName.set(id, pool.name as string);
    const fields = fieldsOf('pool', pool);
    const members = (await api.lbaas('GET', `/pools/${id}/members`)) as { members: ApiObject[] };
    fields.members = members.members.map((m) => fieldsOf('member', m));
    if (pool.healthmonitor_id) {
      fields.healthmonitor = fieldsOf(
        'healthmonitor',
        await get(api, `/healthmonitors/${pool.healthmonitor_id}`, 'healthmonitor'),
      );
    }
    pools.push(fields);
  }
  const byName = (id: unknown) => (id ? (poolName.get(id as string) ?? id) : null);
  const listeners: StackObject[] = [];
  for (const id of ids(lb.listeners)) {
    const listener = await get(api, `/listeners/${id}`, 'listener');
    const fields = fieldsOf('listener', listener);
    fields.default_pool = byName(listener.default_pool_id);
    const policies: StackObject[] = [];
    for (const policyId of ids(listener.l7policies)) {
      const policy = await get(api, `/l7policies/${policyId}`, 'l7policy');
      const policyFields: StackObject = { ...fieldsOf('l7policy', policy), position: policy.position };
      policyFields.redirect_pool = byName(policy.redirect_pool_id);
      const rules = (await api.lbaas('GET', `/l7policies/${policyId}/rules`)) as { rules: ApiObject[] };
      policyFields.rules = rules.rules.map((r) => fieldsOf('l7rule', r));
      policies.push(policyFields);
    }
    fields.l7policies = policies.sort((a, b) => (a.position as number) - (b.position as number));
    listeners.push(fields);
  }
  stack.listeners = listeners;
  stack.pools = pools;
  return { loadbalancer: stack };
}
