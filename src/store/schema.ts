// Row types of every table, as Kysely sees them. Booleans are stored as 0/1 integers and lists/maps as JSON
// text so one migration serves SQLite and PostgreSQL alike; timestamps are ISO-8601 UTC text (sortable).
import type { Generated } from 'kysely';

export type Bool = 0 | 1;

export interface DomainTable {
  id: string;
  name: string;
  description: string;
  enabled: Bool;
  created_at: string;
}

export interface ProjectTable {
  id: string;
  name: string;
  description: string;
  domain_id: string;
  enabled: Bool;
  parent_id: string | null;
  tags: string;
  created_at: string;
}

export interface UserTable {
  id: string;
  name: string;
  domain_id: string;
  enabled: Bool;
  default_project_id: string | null;
  password_hash: string | null;
  created_at: string;
}

export interface RoleTable {
  id: string;
  name: string;
  /** lower-cased name: role names are unique case-insensitively (Keystone) */
  name_key: string;
  created_at: string;
}

export interface RoleAssignmentTable {
  user_id: string;
  /** a project id, or the literal `system` for system-scope grants */
  target_id: string;
  role_id: string;
}

export interface TokenTable {
  /** sha256 of the token: the token itself is never stored */
  hash: string;
  user_id: string;
  project_id: string | null;
  system_scope: Bool;
  methods: string;
  audit_id: string;
  issued_at: string;
  expires_at: string;
  revoked: Bool;
}

export interface NetworkTable {
  id: string;
  name: string;
  /** Neutron standard attribute (migration 008) */
  description: Generated<string>;
  project_id: string;
  admin_state_up: Bool;
  status: string;
  shared: Bool;
  router_external: Bool;
  network_type: string;
  physical_network: string | null;
  segmentation_id: number | null;
  mtu: number;
  created_at: string;
  updated_at: string;
}

export interface SubnetTable {
  id: string;
  name: string;
  /** Neutron standard attribute (migration 008) */
  description: Generated<string>;
  network_id: string;
  project_id: string;
  ip_version: number;
  cidr: string;
  gateway_ip: string | null;
  allocation_pools: string;
  enable_dhcp: Bool;
  dns_nameservers: string;
  host_routes: string;
  created_at: string;
  updated_at: string;
}

export interface PortTable {
  id: string;
  name: string;
  /** Neutron standard attribute (migration 008) */
  description: Generated<string>;
  network_id: string;
  project_id: string;
  mac_address: string;
  device_id: string;
  device_owner: string;
  status: string;
  admin_state_up: Bool;
  allowed_address_pairs: string;
  security_groups: string;
  created_at: string;
  updated_at: string;
}

/** One row per address handed out: the primary key makes "an address is given out once per subnet" atomic. */
export interface IpAllocationTable {
  subnet_id: string;
  ip_address: string;
  port_id: string;
  network_id: string;
}

export interface LoadBalancerTable {
  id: string;
  project_id: string;
  name: string | null;
  description: string | null;
  admin_state_up: Bool;
  provisioning_status: string;
  operating_status: string;
  provider: string;
  /** the alias asked for (amphora, octavia) when it was one; null otherwise (migration 007) */
  provider_alias: Generated<string | null>;
  flavor_id: string | null;
  availability_zone: string | null;
  vip_address: string | null;
  vip_port_id: string | null;
  vip_subnet_id: string | null;
  vip_network_id: string | null;
  vip_qos_policy_id: string | null;
  tags: string;
  /** bumped in the same transaction as every change under this load balancer (architecture §1) */
  revision: Generated<number>;
  /** the revision a provider last reported as applied */
  applied_revision: Generated<number>;
  /** why the last transition failed, when it did (shown by the API, never left silent) */
  status_reason: string | null;
  /** 'self' while the load balancer's own change is pending, 'children' for a child's change */
  pending_target: string | null;
  topology: Generated<string>;
  /** JSON list of {subnet_id, ip_address} */
  additional_vips: Generated<string>;
  /** JSON list of Neutron security group ids on the VIP (API 2.29 `vip_sg_ids`, migration 009) */
  vip_sg_ids: Generated<string>;
  created_at: string;
  updated_at: string | null;
}

/** Columns every load-balancer child shares. */
export interface ChildColumns {
  id: string;
  project_id: string;
  load_balancer_id: string;
  name: string | null;
  admin_state_up: Bool;
  provisioning_status: string;
  operating_status: string;
  tags: string;
  created_at: string;
  updated_at: string | null;
}

export interface ListenerTable extends ChildColumns {
  description: string | null;
  protocol: string;
  protocol_port: number;
  connection_limit: number;
  default_pool_id: string | null;
  default_tls_container_ref: string | null;
  sni_container_refs: string;
  insert_headers: string | null;
  timeout_client_data: number | null;
  timeout_member_connect: number | null;
  timeout_member_data: number | null;
  timeout_tcp_inspect: number | null;
  client_ca_tls_container_ref: string | null;
  client_authentication: string;
  client_crl_container_ref: string | null;
  allowed_cidrs: string | null;
  tls_ciphers: string | null;
  tls_versions: string | null;
  alpn_protocols: string | null;
  hsts_max_age: number | null;
  hsts_include_subdomains: number | null;
  hsts_preload: number | null;
  /** JSON CertificateFacts[] (migration 013); null: not recorded */
  tls_certificates: string | null;
}

export interface PoolTable extends ChildColumns {
  description: string | null;
  protocol: string;
  lb_algorithm: string;
  session_persistence: string | null;
  tls_enabled: Bool;
  tls_container_ref: string | null;
  ca_tls_container_ref: string | null;
  crl_container_ref: string | null;
  tls_ciphers: string | null;
  tls_versions: string | null;
  alpn_protocols: string | null;
}

export interface MemberTable extends ChildColumns {
  pool_id: string;
  address: string;
  protocol_port: number;
  subnet_id: string | null;
  weight: number;
  backup: Bool;
  monitor_address: string | null;
  monitor_port: number | null;
}

export interface HealthMonitorTable extends ChildColumns {
  pool_id: string;
  type: string;
  delay: number;
  timeout: number;
  max_retries: number;
  max_retries_down: number;
  http_method: string | null;
  url_path: string | null;
  expected_codes: string | null;
  http_version: number | null;
  domain_name: string | null;
}

export interface L7PolicyTable extends ChildColumns {
  description: string | null;
  listener_id: string;
  action: string;
  redirect_pool_id: string | null;
  redirect_url: string | null;
  redirect_prefix: string | null;
  redirect_http_code: number | null;
  position: number;
}

export interface L7RuleTable extends ChildColumns {
  l7policy_id: string;
  type: string;
  compare_type: string;
  key: string | null;
  value: string;
  invert: Bool;
}

/** NULL = the configured default; -1 = unlimited (reference §10.1). */
export interface QuotaTable {
  project_id: string;
  load_balancer: number | null;
  listener: number | null;
  pool: number | null;
  member: number | null;
  health_monitor: number | null;
  l7policy: number | null;
  l7rule: number | null;
}

export interface FlavorProfileTable {
  id: string;
  name: string;
  provider_name: string;
  flavor_data: string;
}

export interface FlavorTable {
  id: string;
  name: string;
  description: string | null;
  enabled: Bool;
  flavor_profile_id: string;
}

export interface AvailabilityZoneProfileTable {
  id: string;
  name: string;
  provider_name: string;
  availability_zone_data: string;
}

export interface AvailabilityZoneTable {
  name: string;
  description: string | null;
  enabled: Bool;
  availability_zone_profile_id: string;
}

export interface AmphoraTable {
  id: string;
  load_balancer_id: string | null;
  compute_id: string | null;
  lb_network_ip: string | null;
  vrrp_ip: string | null;
  ha_ip: string | null;
  vrrp_port_id: string | null;
  ha_port_id: string | null;
  cert_expiration: string | null;
  cert_busy: Bool;
  role: string | null;
  status: string;
  vrrp_interface: string | null;
  vrrp_id: number | null;
  vrrp_priority: number | null;
  cached_zone: string | null;
  image_id: string | null;
  compute_flavor: string | null;
  created_at: string;
  updated_at: string | null;
  /** the agent serving this placement (migration 004); null = not scheduled */
  agent_id: Generated<string | null>;
  /** the load balancer revision at which it was bound to that agent */
  scheduled_revision: Generated<number | null>;
  /** the revision the agent last tried to apply, and its error (null = applied) */
  reported_revision: Generated<number | null>;
  apply_error: Generated<string | null>;
  /** the agent's last observation (ProviderReport JSON) and when it came */
  report: Generated<string | null>;
  reported_at: Generated<string | null>;
  /** the VRRP group holding its load balancer's VIPs (migration 006); null = controller promotion only */
  vrrp_group_id: Generated<string | null>;
}

export interface ListenerStatisticsTable {
  listener_id: string;
  amphora_id: string;
  bytes_in: number;
  bytes_out: number;
  active_connections: number;
  total_connections: number;
  request_errors: number;
  /** the data-plane instance that reported the counters; a new one starts from zero (migration 004) */
  epoch: string | null;
  /** what earlier instances counted, added to the reported values */
  base_bytes_in: Generated<number>;
  base_bytes_out: Generated<number>;
  base_total_connections: Generated<number>;
  base_request_errors: Generated<number>;
}

/** One status change of a load balancer or one of its objects (migration 015); `id` orders them. */
export interface StatusEventTable {
  id: Generated<number | string>;
  load_balancer_id: string;
  resource_type: string;
  resource_id: string;
  field: string;
  from_status: string | null;
  to_status: string;
  reason: string;
  created_at: string;
}

/** A host that runs data planes (architecture §1), authenticated by its own token. */
export interface AgentTable {
  id: string;
  name: string;
  token_hash: string;
  host: string | null;
  pid: number | null;
  availability_zone: string | null;
  /** JSON list of the provider names it serves */
  providers: Generated<string>;
  /** NEW (never registered), UP, DOWN (missed heartbeats) */
  status: Generated<string>;
  /** changes each time the agent process (re)registers */
  epoch: string | null;
  heartbeat_at: string | null;
  created_at: string;
  updated_at: string | null;
  /** JSON map physnet → its IPv4 address, when it runs keepalived (migration 006); null otherwise */
  vrrp_addresses: Generated<string | null>;
}

/**
 * One keepalived vrrp_instance shared by two agents on one network (docs/ha.md, "VRRP layout"): priority 150 on
 * the preferred agent (MASTER's agent when it was made), 100 on its peer; `anchor_address` is the one address
 * it advertises, a port allocated on the VIP subnet for the group's life.
 */
export interface VrrpGroupTable {
  id: string;
  network_id: string;
  subnet_id: string;
  preferred_agent_id: string;
  peer_agent_id: string;
  /** 0 unless the failover switch needed a further group of the same pair and orientation */
  slot: Generated<number>;
  vrid: number;
  anchor_port_id: string;
  anchor_address: string;
  created_at: string;
}

export interface Database {
  domains: DomainTable;
  projects: ProjectTable;
  users: UserTable;
  roles: RoleTable;
  role_assignments: RoleAssignmentTable;
  tokens: TokenTable;
  networks: NetworkTable;
  subnets: SubnetTable;
  ports: PortTable;
  ip_allocations: IpAllocationTable;
  load_balancers: LoadBalancerTable;
  listeners: ListenerTable;
  pools: PoolTable;
  members: MemberTable;
  health_monitors: HealthMonitorTable;
  l7policies: L7PolicyTable;
  l7rules: L7RuleTable;
  quotas: QuotaTable;
  flavor_profiles: FlavorProfileTable;
  flavors: FlavorTable;
  availability_zone_profiles: AvailabilityZoneProfileTable;
  availability_zones: AvailabilityZoneTable;
  amphorae: AmphoraTable;
  agents: AgentTable;
  vrrp_groups: VrrpGroupTable;
  listener_statistics: ListenerStatisticsTable;
  status_events: StatusEventTable;
  // Networking completion and LBaaS v1 (issue #6): row types in networking-v1-schema.ts
  routers: import('./networking-v1-schema.ts').RouterTable;
  floatingips: import('./networking-v1-schema.ts').FloatingIpTable;
  lbv1_pools: import('./networking-v1-schema.ts').LbV1PoolTable;
  lbv1_members: import('./networking-v1-schema.ts').LbV1MemberTable;
  lbv1_health_monitors: import('./networking-v1-schema.ts').LbV1HealthMonitorTable;
  lbv1_pool_monitors: import('./networking-v1-schema.ts').LbV1PoolMonitorTable;
  lbv1_vips: import('./networking-v1-schema.ts').LbV1VipTable;
  neutron_tags: import('./networking-v1-schema.ts').NeutronTagTable;
  security_groups: import('./networking-v1-schema.ts').SecurityGroupTable;
  security_group_rules: import('./networking-v1-schema.ts').SecurityGroupRuleTable;
  qos_policies: import('./networking-v1-schema.ts').QosPolicyTable;
  // The secret store (issue #14, migration 011): row types in secret-store-schema.ts
  secrets: import('./secret-store-schema.ts').SecretTable;
  secret_containers: import('./secret-store-schema.ts').SecretContainerTable;
  container_secrets: import('./secret-store-schema.ts').ContainerSecretTable;
  container_consumers: import('./secret-store-schema.ts').ContainerConsumerTable;
  secret_acls: import('./secret-store-schema.ts').SecretAclTable;
  secret_store_key_check: import('./secret-store-schema.ts').SecretStoreKeyCheckTable;
  // Tenant access logs (issue #16, migration 016): row types in access-log-schema.ts
  access_logs: import('./access-log-schema.ts').AccessLogTable;
  access_log_drops: import('./access-log-schema.ts').AccessLogDropTable;
}

/** The tables of load-balancer children, which share ChildColumns and follow the LB lock. */
export const CHILD_TABLES = [
  'listeners',
  'pools',
  'members',
  'health_monitors',
  'l7policies',
  'l7rules',
] as const;
export type ChildTable = (typeof CHILD_TABLES)[number];
