// Wire mapping for the admin amphora API (reference §10.5): AmphoraResponse field order, `loadbalancer_id`
// (not the api-ref's `load_balancer_id`), zone-less timestamps; and the per-listener stats entries.
import type { Amphora, AmphoraListenerStats } from '../../../model/amphora.ts';
import type { FilterField, WireObject } from '../../wire/listing.ts';
import { sameNames } from '../filter-fields.ts';
import { wireTime } from '../octavia-wire.ts';

export const amphoraToWire = (a: Amphora): WireObject => ({
  id: a.id,
  loadbalancer_id: a.loadBalancerId,
  compute_id: a.computeId,
  lb_network_ip: a.lbNetworkIp,
  vrrp_ip: a.vrrpIp,
  ha_ip: a.haIp,
  vrrp_port_id: a.vrrpPortId,
  ha_port_id: a.haPortId,
  cert_expiration: wireTime(a.certExpiration),
  cert_busy: a.certBusy,
  role: a.role,
  status: a.status,
  vrrp_interface: a.vrrpInterface,
  vrrp_id: a.vrrpId,
  vrrp_priority: a.vrrpPriority,
  cached_zone: a.cachedZone,
  created_at: wireTime(a.createdAt),
  updated_at: wireTime(a.updatedAt),
  image_id: a.imageId,
  compute_flavor: a.computeFlavor,
});

/** Every field may be filtered on (reference §10.5); `project_id` is handled by the route. */
export const AMPHORA_ATTRIBUTES = [
  'id',
  'loadbalancer_id',
  'compute_id',
  'lb_network_ip',
  'vrrp_ip',
  'ha_ip',
  'vrrp_port_id',
  'ha_port_id',
  'cert_expiration',
  'cert_busy',
  'role',
  'status',
  'vrrp_interface',
  'vrrp_id',
  'vrrp_priority',
  'cached_zone',
  'created_at',
  'updated_at',
  'image_id',
  'compute_flavor',
] as const;

/** AmphoraStatisticsResponse: `id` is the amphora's. */
export const amphoraStatsToWire = (s: AmphoraListenerStats): WireObject => ({
  id: s.amphoraId,
  listener_id: s.listenerId,
  loadbalancer_id: s.loadBalancerId,
  active_connections: s.activeConnections,
  bytes_in: s.bytesIn,
  bytes_out: s.bytesOut,
  total_connections: s.totalConnections,
  request_errors: s.requestErrors,
});

/** Filter keys of the list: the data model's fields under their API and database names (reference §1.4). */
export const AMPHORA_FILTERS: Readonly<Record<string, FilterField>> = {
  ...sameNames(AMPHORA_ATTRIBUTES),
  load_balancer_id: 'loadbalancer_id',
};
