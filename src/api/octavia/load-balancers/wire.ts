// Wire mapping for load balancers (reference §3.1): domain camelCase ↔ Octavia's snake_case, with its
// quirks (tenant_id mirrors project_id, null names render as "", zone-less second-precision timestamps).
import type { LoadBalancer } from '../../../model/load-balancer.ts';
import type { FilterField, WireObject } from '../../wire/listing.ts';
import { modelFields } from '../filter-fields.ts';
import { idRefs, wireTime } from '../octavia-wire.ts';
import { COMMON_COLUMNS, type SqlColumns, sqlText } from '../sql-page-spec.ts';

export function loadBalancerToWire(
  lb: LoadBalancer,
  children: { listeners: readonly string[]; pools: readonly string[] } = { listeners: [], pools: [] },
): WireObject {
  return {
    id: lb.id,
    name: lb.name ?? '',
    description: lb.description ?? '',
    provisioning_status: lb.provisioningStatus,
    operating_status: lb.operatingStatus,
    admin_state_up: lb.adminStateUp,
    project_id: lb.projectId,
    tenant_id: lb.projectId,
    created_at: wireTime(lb.createdAt),
    updated_at: wireTime(lb.updatedAt),
    vip_address: lb.vip.address,
    vip_port_id: lb.vip.portId,
    vip_subnet_id: lb.vip.subnetId,
    vip_network_id: lb.vip.networkId,
    vip_qos_policy_id: lb.vip.qosPolicyId,
    vip_sg_ids: [...(lb.vip.sgIds ?? [])],
    // Sluice has no SR-IOV (API v2.28): a VIP port is always a normal vNIC.
    vip_vnic_type: 'normal',
    // Additional VIPs are further fixed IPs of the VIP port itself, so that is their port (Octavia 17.0.0).
    additional_vips: lb.vip.additional.map((v) => ({
      subnet_id: v.subnetId,
      ip_address: v.address,
      port_id: lb.vip.portId,
    })),
    listeners: idRefs(children.listeners),
    pools: idRefs(children.pools),
    // An alias shows as asked, as in Octavia; `lb.provider` serves it (docs/providers.md).
    provider: lb.providerAlias ?? lb.provider,
    flavor_id: lb.flavorId,
    availability_zone: lb.availabilityZone,
    tags: [...lb.tags],
    // Sluice's addition (not in Octavia): why the last change under this load balancer failed, until a later
    // change succeeds, so an ERROR (of the load balancer or a child) is never unexplained.
    provisioning_status_reason: lb.statusReason,
  };
}

/** Attributes a list may sort on: the scalar wire fields. */
export const LOAD_BALANCER_ATTRIBUTES = [
  'id',
  'name',
  'description',
  'provisioning_status',
  'operating_status',
  'admin_state_up',
  'project_id',
  'tenant_id',
  'created_at',
  'updated_at',
  'vip_address',
  'vip_port_id',
  'vip_subnet_id',
  'vip_network_id',
  'vip_qos_policy_id',
  'provider',
  'flavor_id',
  'availability_zone',
] as const;

/** Filter keys of the list: the data model's fields under their API and database names (reference §1.4). */
export const LOAD_BALANCER_FILTERS: Readonly<Record<string, FilterField>> = {
  ...modelFields(LOAD_BALANCER_ATTRIBUTES),
};

/** The wire keys a list page reads straight from a column (sql-page-spec.ts): every attribute above. */
export const LOAD_BALANCER_COLUMNS: SqlColumns = {
  ...COMMON_COLUMNS,
  vip_address: sqlText('vip_address', { emptyIfNull: true }),
  vip_port_id: sqlText('vip_port_id', { emptyIfNull: true }),
  vip_subnet_id: sqlText('vip_subnet_id', { emptyIfNull: true }),
  vip_network_id: sqlText('vip_network_id', { emptyIfNull: true }),
  vip_qos_policy_id: sqlText('vip_qos_policy_id', { nullable: true }),
  provider: sqlText('provider', { alias: 'provider_alias' }),
  flavor_id: sqlText('flavor_id', { nullable: true }),
  availability_zone: sqlText('availability_zone', { nullable: true }),
};
