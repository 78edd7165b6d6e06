// Router interfaces (identity-networking-v1.md §2, add/remove_router_interface): a port owned by the router
// holding a subnet's gateway address, or an existing unbound port handed to the router.
import { SluiceError } from '../../errors.ts';
import { DEVICE_OWNER_ROUTER_INTERFACE, type Router } from '../../model/router.ts';
import { type Db, inTransaction } from '../database.ts';
import { portNotFound, subnetNotFound } from './network-rows.ts';
import { allocatePort, deletePort, getPort, updatePortDevice } from './port-repository.ts';
import { getRouter, interfacePorts, routerNotFound } from './router-repository.ts';
import { getSubnet } from './subnet-repository.ts';

/** What add/remove_router_interface answer (Neutron's router interface info). */
export type InterfaceInfo = Readonly<{
  routerId: string;
  projectId: string;
  portId: string;
  networkId: string;
  subnetId: string;
  subnetIds: readonly string[];
}>;

const badRouter = (msg: string) =>
  new SluiceError('network.http-bad-request', { detail: `Bad router request: ${msg}.` }, 'BadRequest');

/**
 * Plugs the router into a subnet (a new port holding the subnet's gateway address) or onto an existing
 * unbound port. One interface per subnet (400), the gateway must be free (409 IpAddressAlreadyAllocated).
 */
export async function addRouterInterface(
  db: Db,
  routerId: string,
  target: Readonly<{ subnetId?: string; portId?: string }>,
): Promise<InterfaceInfo> {
  return withInterfaces(db, routerId, async (trx, router, existing) => {
    const has = (subnetId: string) => existing.some((p) => p.fixedIps.some((ip) => ip.subnetId === subnetId));
    let portId: string;
    if (target.portId !== undefined) {
      const port = await getPort(trx, target.portId);
      if (!port) throw portNotFound(target.portId);
      if (port.deviceId !== '') {
        const detail = `Unable to complete operation on port ${port.id} for network ${port.networkId}. Port already has an attached device ${port.deviceId}.`;
        throw new SluiceError('network.in-use', { detail }, 'PortInUse');
      }
      if (port.fixedIps.length === 0) throw badRouter(`Router port must have at least one fixed IP`);
      const clash = port.fixedIps.find((ip) => has(ip.subnetId));
      if (clash) throw badRouter(`Router already has a port on subnet ${clash.subnetId}`);
      await updatePortDevice(trx, port.id, routerId, DEVICE_OWNER_ROUTER_INTERFACE);
      portId = port.id;
    } else {
      const subnet = await getSubnet(trx, target.subnetId!);
      if (!subnet) throw subnetNotFound(target.subnetId!);
      if (subnet.gatewayIp === null) {
        throw badRouter(`Subnet for router interface must have a gateway IP`);
      }
      if (has(subnet.id)) throw badRouter(`Router already has a port on subnet ${subnet.id}`);
      const port = await allocatePort(trx, {
        networkId: subnet.networkId,
        projectId: router.projectId,
        deviceId: routerId,
        deviceOwner: DEVICE_OWNER_ROUTER_INTERFACE,
        fixedIps: [],
      });
      // The gateway address is the router's (ip-allocator.ts never hands it to other ports).
      const claimed = await trx
        .insertInto('ip_allocations')
        .values({
          subnet_id: subnet.id,
          ip_address: subnet.gatewayIp,
          port_id: port.id,
          network_id: port.networkId,
        })
        .onConflict((oc) => oc.columns(['subnet_id', 'ip_address']).doNothing())
        .executeTakeFirst();
      if (Number(claimed.numInsertedOrUpdatedRows ?? 0n) === 0) {
        throw new SluiceError('network.ip-allocated', { ip: subnet.gatewayIp, subnet: subnet.id });
      }
      portId = port.id;
    }
    return interfaceInfo(trx, router, portId);
  });
}

/** Unplugs the interface on a subnet or port (404 when the router has none there); its port is deleted. */
export async function removeRouterInterface(
  db: Db,
  routerId: string,
  target: Readonly<{ subnetId?: string; portId?: string }>,
): Promise<InterfaceInfo> {
  return withInterfaces(db, routerId, async (trx, router, ports) => {
    const port = ports.find(
      (p) =>
        (target.portId === undefined || p.id === target.portId) &&
        (target.subnetId === undefined || p.fixedIps.some((ip) => ip.subnetId === target.subnetId)),
    );
    if (!port) {
      const detail =
        target.portId !== undefined
          ? `Router ${routerId} does not have an interface with id ${target.portId}`
          : `Router ${routerId} has no interface on subnet ${target.subnetId}`;
      throw new SluiceError(
        'network.not-found-detail',
        { detail },
        target.portId !== undefined ? 'RouterInterfaceNotFound' : 'RouterInterfaceNotFoundForSubnet',
      );
    }
    const info = await interfaceInfo(trx, router, port.id);
    await deletePort(trx, port.id);
    return info;
  });
}

/** `work` in one transaction with the router (404 when there is none) and its interface ports. */
function withInterfaces<T>(
  db: Db,
  routerId: string,
  work: (trx: Db, router: Router, ports: Awaited<ReturnType<typeof interfacePorts>>) => Promise<T>,
): Promise<T> {
  return inTransaction(db, async (trx) => {
    const router = await getRouter(trx, routerId);
    if (!router) throw routerNotFound(routerId);
    return work(trx, router, await interfacePorts(trx, routerId));
  });
}

async function interfaceInfo(db: Db, router: Router, portId: string): Promise<InterfaceInfo> {
  const port = (await getPort(db, portId))!;
  const subnetIds = port.fixedIps.map((ip) => ip.subnetId);
  return {
    routerId: router.id,
    projectId: router.projectId,
    portId: port.id,
    networkId: port.networkId,
    subnetId: subnetIds[0] ?? '',
    subnetIds,
  };
}
