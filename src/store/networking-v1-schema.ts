// Row types of the networking-completion and LBaaS v1 tables (migration 005, issue #6): routers, floating
// IPs and the v1 records (pools, members, health monitors, their associations, VIPs); Neutron tags (008);
// security groups and their rules (009); router routes and QoS policies (010).
import type { Generated } from 'kysely';
import type { Bool } from './schema.ts';

export interface RouterTable {
  id: string;
  name: string;
  description: string;
  project_id: string;
  admin_state_up: Bool;
  status: string;
  /** external gateway: its network and port, or null */
  gateway_network_id: string | null;
  gateway_port_id: string | null;
  enable_snat: Bool;
  /** extra routes (010): JSON list of {destination, nexthop} */
  routes: Generated<string>;
  created_at: string;
  updated_at: string;
}

export interface FloatingIpTable {
  id: string;
  project_id: string;
  description: string;
  floating_network_id: string;
  floating_subnet_id: string;
  floating_ip_address: string;
  floating_port_id: string;
  /** the associated port; set NULL by the database when that port is deleted */
  port_id: string | null;
  fixed_ip_address: string | null;
  router_id: string | null;
  created_at: string;
  updated_at: string;
}

export interface LbV1PoolTable {
  id: string;
  project_id: string;
  name: string;
  description: string;
  subnet_id: string;
  protocol: string;
  lb_method: string;
  provider: string;
  admin_state_up: Bool;
  v2_pool_id: string | null;
  created_at: string;
  updated_at: string;
}

export interface LbV1MemberTable {
  id: string;
  project_id: string;
  pool_id: string;
  address: string;
  protocol_port: number;
  weight: number;
  admin_state_up: Bool;
  v2_member_id: string | null;
  created_at: string;
  updated_at: string;
}

export interface LbV1HealthMonitorTable {
  id: string;
  project_id: string;
  type: string;
  delay: number;
  timeout: number;
  max_retries: number;
  http_method: string;
  url_path: string;
  expected_codes: string;
  admin_state_up: Bool;
  created_at: string;
  updated_at: string;
}

export interface LbV1PoolMonitorTable {
  pool_id: string;
  monitor_id: string;
  v2_monitor_id: string | null;
  created_at: string;
}

export interface LbV1VipTable {
  id: string;
  project_id: string;
  pool_id: string;
  name: string;
  description: string;
  subnet_id: string;
  address: string;
  port_id: string;
  protocol: string;
  protocol_port: number;
  /** JSON {type, cookie_name} or null */
  session_persistence: string | null;
  connection_limit: number;
  admin_state_up: Bool;
  load_balancer_id: string;
  listener_id: string;
  created_at: string;
  updated_at: string;
}

/** One tag of a Neutron resource (migration 008): network, subnet, port, router or floating IP by id. */
export interface NeutronTagTable {
  resource_id: string;
  tag: string;
}

export interface SecurityGroupTable {
  id: string;
  project_id: string;
  name: string;
  description: string;
  stateful: Bool;
  revision_number: number;
  created_at: string;
  updated_at: string;
}

export interface SecurityGroupRuleTable {
  id: string;
  security_group_id: string;
  project_id: string;
  /** 'ingress' | 'egress' */
  direction: string;
  /** 'IPv4' | 'IPv6' */
  ethertype: string;
  /** a protocol name or number as given; null means any */
  protocol: string | null;
  port_range_min: number | null;
  port_range_max: number | null;
  remote_ip_prefix: string | null;
  remote_group_id: string | null;
  description: string;
  revision_number: number;
  created_at: string;
  updated_at: string;
}

export interface QosPolicyTable {
  id: string;
  project_id: string;
  name: string;
  description: string;
  shared: Bool;
  is_default: Bool;
  revision_number: number;
  created_at: string;
  updated_at: string;
}
