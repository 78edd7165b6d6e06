// Routers in the store (identity-networking-v1.md §2): records with an optional external gateway (a port on
// an external network) and interfaces (ports owned by the router, holding a subnet's gateway address).
// Sluice routes nothing itself: every 127/8 address is local; the records keep the seeds' flows working.
// Extra routes (`extraroute`) are likewise only recorded and shown: no data plane installs them.
import type { Selectable, Updateable } from 'kysely';
import { SluiceError } from '../../errors.ts';
import {
  DEVICE_OWNER_ROUTER_GATEWAY,
  DEVICE_OWNER_ROUTER_INTERFACE,
  type ExternalGateway,
  type ExtraRoute,
  type Router,
} from '../../model/router.ts';
import { fromJson, newId, now, toBool, toJson } from '../codec.ts';
import { type Db, inTransaction } from '../database.ts';
import type { RouterTable } from '../networking-v1-schema.ts';
import type { FixedIpRequest } from './ip-allocator.ts';
import { networkNotFound, type Visibility } from './network-rows.ts';
import { allocatePort, deletePort, getPort } from './port-repository.ts';
import { deleteTagsOf } from './tag-repository.ts';

export type GatewayRequest = Readonly<{
  networkId: string;
  enableSnat?: boolean;
  fixedIps?: readonly FixedIpRequest[];
}>;

export type RouterInput = Readonly<{
  projectId: string;
  name?: string;
  description?: string;
  adminStateUp?: boolean;
  externalGateway?: GatewayRequest | null;
}>;

export type RouterChanges = Partial<{
  name: string;
  description: string;
  adminStateUp: boolean;
  /** null clears the gateway */
  externalGateway: GatewayRequest | null;
  /** the new extra routes from the current ones, checked against what the router is connected to */
  routes: RoutesEdit;
}>;

/** The subnets (CIDRs) and addresses of the router's ports: interfaces and gateway. */
export type RouterConnections = Readonly<{ cidrs: readonly string[]; addresses: readonly string[] }>;
export type RoutesEdit = (current: readonly ExtraRoute[], connected: RouterConnections) => ExtraRoute[];

export const routerNotFound = (id: string) =>
  new SluiceError('network.not-found', { kind: 'Router', id }, 'RouterNotFound');

const badRouter = (msg: string) =>
  new SluiceError('network.http-bad-request', { detail: `Bad router request: ${msg}.` }, 'BadRequest');

async function toRouter(db: Db, row: Selectable<RouterTable>): Promise<Router> {
  let externalGateway: ExternalGateway | null = null;
  if (row.gateway_network_id !== null) {
    const port = row.gateway_port_id ? await getPort(db, row.gateway_port_id) : undefined;
    externalGateway = {
      networkId: row.gateway_network_id,
      enableSnat: row.enable_snat === 1,
      portId: row.gateway_port_id ?? '',
      externalFixedIps: port?.fixedIps ?? [],
    };
  }
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    projectId: row.project_id,
    adminStateUp: row.admin_state_up === 1,
    status: row.status,
    externalGateway,
    routes: fromJson<ExtraRoute[]>(row.routes, []),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function getRouter(db: Db, id: string): Promise<Router | undefined> {
  const row = await db.selectFrom('routers').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toRouter(db, row);
}

export async function listRouters(db: Db, visibility: Visibility): Promise<Router[]> {
  let query = db.selectFrom('routers').selectAll();
  if (visibility !== 'all') query = query.where('project_id', '=', visibility.projectId ?? '');
  const rows = await query.orderBy('created_at').orderBy('id').execute();
  return Promise.all(rows.map((row) => toRouter(db, row)));
}

export async function createRouter(db: Db, input: RouterInput): Promise<Router> {
  return inTransaction(db, async (trx) => {
    const id = newId();
    const at = now();
    await trx
      .insertInto('routers')
      .values({
        id,
        name: input.name ?? '',
        description: input.description ?? '',
        project_id: input.projectId,
        admin_state_up: toBool(input.adminStateUp ?? true),
        status: 'ACTIVE',
        gateway_network_id: null,
        gateway_port_id: null,
        enable_snat: 1,
        created_at: at,
        updated_at: at,
      })
      .execute();
    if (input.externalGateway) await setGateway(trx, id, input.externalGateway);
    return (await getRouter(trx, id))!;
  });
}

export async function updateRouter(db: Db, id: string, changes: RouterChanges): Promise<Router> {
  return inTransaction(db, async (trx) => {
    const values: Updateable<RouterTable> = { updated_at: now() };
    if (changes.name !== undefined) values.name = changes.name;
    if (changes.description !== undefined) values.description = changes.description;
    if (changes.adminStateUp !== undefined) values.admin_state_up = toBool(changes.adminStateUp);
    if (changes.routes !== undefined) {
      const current = await getRouter(trx, id);
      if (!current) throw routerNotFound(id);
      values.routes = toJson(changes.routes(current.routes, await routerConnections(trx, id)));
    }
    const result = await trx.updateTable('routers').set(values).where('id', '=', id).executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) throw routerNotFound(id);
    if (changes.externalGateway === null) await clearGateway(trx, id);
    else if (changes.externalGateway !== undefined) await setGateway(trx, id, changes.externalGateway);
    return (await getRouter(trx, id))!;
  });
}

/** The subnets and addresses of every port whose device is the router (Neutron's _validate_routes). */
async function routerConnections(db: Db, routerId: string): Promise<RouterConnections> {
  const ports = await db.selectFrom('ports').select('id').where('device_id', '=', routerId).execute();
  const held = (await Promise.all(ports.map((p) => getPort(db, p.id)))).flatMap((p) => p?.fixedIps ?? []);
  const subnets = await db
    .selectFrom('subnets')
    .select('cidr')
    .where('id', 'in', ['', ...held.map((ip) => ip.subnetId)])
    .execute();
  return { cidrs: subnets.map((row) => row.cidr), addresses: held.map((ip) => ip.ipAddress) };
}

/** A router with interfaces stays (409 RouterInUse); its gateway port goes with it. */
export async function deleteRouter(db: Db, id: string): Promise<void> {
  await inTransaction(db, async (trx) => {
    if (!(await getRouter(trx, id))) throw routerNotFound(id);
    const ports = await interfacePorts(trx, id);
    if (ports.length > 0) {
      const detail = `Router ${id} still has ports`;
      throw new SluiceError('network.conflict', { detail }, 'RouterInUse');
    }
    await clearGateway(trx, id);
    await deleteTagsOf(trx, [id]);
    await trx.deleteFrom('routers').where('id', '=', id).execute();
  });
}

/** Replaces the gateway: a port on the external network (400 unless `router:external`). */
async function setGateway(trx: Db, routerId: string, gateway: GatewayRequest): Promise<void> {
  const network = await trx
    .selectFrom('networks')
    .select(['id', 'router_external'])
    .where('id', '=', gateway.networkId)
    .executeTakeFirst();
  if (!network) throw networkNotFound(gateway.networkId);
  if (network.router_external !== 1) throw badRouter(`Network ${network.id} is not an external network`);
  const current = await trx
    .selectFrom('routers')
    .select(['gateway_network_id', 'gateway_port_id'])
    .where('id', '=', routerId)
    .executeTakeFirstOrThrow();
  if (current.gateway_network_id === network.id && current.gateway_port_id && !gateway.fixedIps) {
    await trx
      .updateTable('routers')
      .set({ enable_snat: toBool(gateway.enableSnat ?? true) })
      .where('id', '=', routerId)
      .execute();
    return;
  }
  await clearGateway(trx, routerId);
  const port = await allocatePort(trx, {
    networkId: network.id,
    projectId: '',
    deviceId: routerId,
    deviceOwner: DEVICE_OWNER_ROUTER_GATEWAY,
    fixedIps: gateway.fixedIps,
  });
  await trx
    .updateTable('routers')
    .set({
      gateway_network_id: network.id,
      gateway_port_id: port.id,
      enable_snat: toBool(gateway.enableSnat ?? true),
    })
    .where('id', '=', routerId)
    .execute();
}

async function clearGateway(trx: Db, routerId: string): Promise<void> {
  const row = await trx
    .selectFrom('routers')
    .select('gateway_port_id')
    .where('id', '=', routerId)
    .executeTakeFirst();
  await trx
    .updateTable('routers')
    .set({ gateway_network_id: null, gateway_port_id: null })
    .where('id', '=', routerId)
    .execute();
  if (row?.gateway_port_id) await deletePort(trx, row.gateway_port_id);
}

/** The router's interface ports (device_owner network:router_interface). */
export async function interfacePorts(db: Db, routerId: string) {
  const rows = await db
    .selectFrom('ports')
    .select('id')
    .where('device_id', '=', routerId)
    .where('device_owner', '=', DEVICE_OWNER_ROUTER_INTERFACE)
    .execute();
  return Promise.all(rows.map(async (r) => (await getPort(db, r.id))!));
}
