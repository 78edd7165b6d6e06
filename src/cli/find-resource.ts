// Resolves the name-or-id a user typed to one object, as the openstack client does: an exact id first, then
// a name filter; no match or several matches are errors (osc-lib's find_resource wording).
import type { ApiClient, ApiObject } from './api-client.ts';
import { CliError } from './cli-error.ts';
import { NotFoundError } from './http-request.ts';
import { collectionPath, KINDS, type Kind } from './resource-kinds.ts';

export async function findResource(
  api: ApiClient,
  kind: Kind,
  nameOrId: string,
  parentId?: string,
): Promise<ApiObject> {
  const path = collectionPath(kind, parentId);
  try {
    const body = (await api.lbaas('GET', `${path}/${encodeURIComponent(nameOrId)}`)) as Record<
      string,
      ApiObject
    >;
    return body[kind.envelope];
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
  }
  if (!kind.idOnly) {
    const body = (await api.lbaas('GET', `${path}?name=${encodeURIComponent(nameOrId)}`)) as Record<
      string,
      ApiObject[]
    >;
    const found = body[kind.plural];
    if (found.length === 1) return found[0];
    if (found.length > 1) {
      throw new CliError(`More than one ${kind.label} exists with the name '${nameOrId}'.`);
    }
  }
  throw new CliError(`No ${kind.label} with a name or ID of '${nameOrId}' exists.`);
}

/** A subnet's id from its name or id, through Neutron (GET /v2.0/subnets?name=…). */
export async function findSubnetId(api: ApiClient, nameOrId: string): Promise<string> {
  const byId = (await api.network(`/subnets?id=${encodeURIComponent(nameOrId)}`)) as { subnets: ApiObject[] };
  if (byId.subnets.length === 1) return byId.subnets[0].id;
  const byName = (await api.network(`/subnets?name=${encodeURIComponent(nameOrId)}`)) as {
    subnets: ApiObject[];
  };
  if (byName.subnets.length === 1) return byName.subnets[0].id;
  if (byName.subnets.length > 1)
    throw new CliError(`More than one subnet exists with the name '${nameOrId}'.`);
  throw new CliError(`No subnet with a name or ID of '${nameOrId}' exists.`);
}

/** The id of the load balancer an object belongs to (the one whose status gates writes to it). */
export async function owningLoadBalancerId(api: ApiClient, kind: Kind, object: ApiObject, parentId?: string) {
  const firstId = (list: unknown) => (list as { id: string }[] | undefined)?.[0]?.id;
  switch (kind.name) {
    case 'loadbalancer':
      return object.id;
    case 'listener':
    case 'pool':
      return firstId(object.loadbalancers)!;
    case 'member':
      return owningLoadBalancerId(api, KINDS.pool, await findResource(api, KINDS.pool, parentId!));
    case 'healthmonitor':
      return owningLoadBalancerId(
        api,
        KINDS.pool,
        await findResource(api, KINDS.pool, firstId(object.pools)!),
      );
    case 'l7policy':
      return owningLoadBalancerId(
        api,
        KINDS.listener,
        await findResource(api, KINDS.listener, object.listener_id as string),
      );
    case 'l7rule':
      return owningLoadBalancerId(api, KINDS.l7policy, await findResource(api, KINDS.l7policy, parentId!));
  }
}
