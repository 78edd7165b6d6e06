// Request bodies for load balancers, as Octavia's WSME types declare them (LoadBalancerPOST/PUT, §3.1).
import { field, type ObjectFields, required, t } from '../../wire/field-types.ts';
import { LISTENER_SINGLE_CREATE } from '../listeners/schema.ts';
import { POOL_SINGLE_CREATE } from '../pools/schema.ts';

export const LOAD_BALANCER_POST: ObjectFields = {
  name: field(t.string()),
  description: field(t.string()),
  admin_state_up: field(t.bool()),
  vip_address: field(t.ip()),
  vip_port_id: field(t.uuid()),
  vip_subnet_id: field(t.uuid()),
  vip_network_id: field(t.uuid()),
  vip_qos_policy_id: field(t.uuid()),
  vip_sg_ids: field(t.list(t.uuid())),
  additional_vips: field(t.list(t.object({ subnet_id: required(t.uuid()), ip_address: field(t.ip()) }))),
  listeners: field(t.list(t.object(LISTENER_SINGLE_CREATE))),
  pools: field(t.list(t.object(POOL_SINGLE_CREATE))),
  project_id: field(t.string(36)),
  tenant_id: field(t.string(36)),
  provider: field(t.string(64)),
  tags: field(t.list(t.string())),
  flavor_id: field(t.uuid()),
  availability_zone: field(t.string()),
};

export const LOAD_BALANCER_PUT: ObjectFields = {
  name: field(t.string()),
  description: field(t.string()),
  vip_qos_policy_id: field(t.uuid()),
  vip_sg_ids: field(t.list(t.uuid())),
  admin_state_up: field(t.bool()),
  tags: field(t.list(t.string())),
};

export const LOAD_BALANCER_POST_ENVELOPE: ObjectFields = {
  loadbalancer: required(t.create(LOAD_BALANCER_POST)),
};
export const LOAD_BALANCER_PUT_ENVELOPE: ObjectFields = {
  loadbalancer: required(t.object(LOAD_BALANCER_PUT)),
};
