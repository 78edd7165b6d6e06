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
  created_at: string;
  updated_at: string | null;
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
}
