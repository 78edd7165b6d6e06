// The Octavia v2 resources the CLI manages: their URL shape, envelope keys, list columns and the options
// create/set offer, named like python-octaviaclient's (`openstack loadbalancer … create --help`).
export type KindName =
  | 'loadbalancer'
  | 'listener'
  | 'pool'
  | 'member'
  | 'healthmonitor'
  | 'l7policy'
  | 'l7rule';

/** How an option's text becomes a field: as is, an integer, a name-or-id of another object, or a subnet. */
export type OptionType = 'string' | 'int' | 'json' | { ref: KindName } | 'subnet';

export type OptionSpec = {
  /** commander flag, e.g. '--protocol-port <port>' */
  flag: string;
  field: string;
  type: OptionType;
  help: string;
  verbs: readonly ('create' | 'set')[];
  required?: boolean;
};

/** A pair of switches setting one boolean field (--enable/--disable → admin_state_up). */
export type SwitchSpec = { on: string; off: string; field: string; help: string };

export type Kind = {
  name: KindName;
  command: string;
  label: string;
  envelope: string;
  plural: string;
  /** objects that live under another one in the URL (members under a pool, rules under a policy) */
  parent?: 'pool' | 'l7policy';
  /** the positional argument of `create` naming the object it attaches to, and the body field it fills */
  createParent?: { kind: KindName; field: string };
  columns: readonly string[];
  options: readonly OptionSpec[];
  switches: readonly SwitchSpec[];
  /** names are not unique or absent (rules): only ids are accepted */
  idOnly?: boolean;
};

const both = ['create', 'set'] as const;
const createOnly = ['create'] as const;
const name = (verbs: readonly ('create' | 'set')[] = both): OptionSpec => ({
  flag: '--name <name>',
  field: 'name',
  type: 'string',
  help: 'name',
  verbs,
});
const description: OptionSpec = {
  flag: '--description <text>',
  field: 'description',
  type: 'string',
  help: 'description',
  verbs: both,
};
const adminState: SwitchSpec = {
  on: '--enable',
  off: '--disable',
  field: 'admin_state_up',
  help: 'admin state',
};
const int = (
  flag: string,
  field: string,
  help: string,
  verbs: OptionSpec['verbs'] = both,
  required = false,
) => ({ flag, field, type: 'int', help, verbs, required }) as const satisfies OptionSpec;
const ref = (flag: string, field: string, kind: KindName, help: string, verbs: OptionSpec['verbs']) =>
  ({ flag, field, type: { ref: kind }, help, verbs }) as const satisfies OptionSpec;
const str = (
  flag: string,
  field: string,
  help: string,
  verbs: OptionSpec['verbs'] = both,
  required = false,
) => ({ flag, field, type: 'string', help, verbs, required }) as const satisfies OptionSpec;

export const KINDS: Record<KindName, Kind> = {
  loadbalancer: {
    name: 'loadbalancer',
    command: 'lb',
    label: 'load balancer',
    envelope: 'loadbalancer',
    plural: 'loadbalancers',
    columns: ['id', 'name', 'vip_address', 'provisioning_status', 'operating_status', 'provider'],
    options: [
      name(),
      description,
      {
        flag: '--vip-subnet-id <subnet>',
        field: 'vip_subnet_id',
        type: 'subnet',
        help: 'VIP subnet (name or id)',
        verbs: createOnly,
      },
      str('--vip-network-id <id>', 'vip_network_id', 'VIP network id', createOnly),
      str('--vip-port-id <id>', 'vip_port_id', 'VIP port id', createOnly),
      str('--vip-address <ip>', 'vip_address', 'VIP address', createOnly),
      str('--provider <provider>', 'provider', 'provider (native, haproxy, noop)', createOnly),
      str('--flavor <id>', 'flavor_id', 'flavor id', createOnly),
      str('--availability-zone <az>', 'availability_zone', 'availability zone', createOnly),
    ],
    switches: [adminState],
  },
  listener: {
    name: 'listener',
    command: 'listener',
    label: 'listener',
    envelope: 'listener',
    plural: 'listeners',
    createParent: { kind: 'loadbalancer', field: 'loadbalancer_id' },
    columns: [
      'id',
      'default_pool_id',
      'name',
      'protocol',
      'protocol_port',
      'admin_state_up',
      'provisioning_status',
    ],
    options: [
      name(),
      description,
      str(
        '--protocol <protocol>',
        'protocol',
        'HTTP, HTTPS, TCP, TERMINATED_HTTPS, UDP, SCTP, PROMETHEUS',
        createOnly,
        true,
      ),
      int('--protocol-port <port>', 'protocol_port', 'listening port', createOnly, true),
      int('--connection-limit <n>', 'connection_limit', 'maximum connections (-1: unlimited)'),
      ref('--default-pool <pool>', 'default_pool_id', 'pool', 'default pool (name or id)', both),
      int('--timeout-client-data <ms>', 'timeout_client_data', 'frontend client inactivity timeout'),
      int('--timeout-member-connect <ms>', 'timeout_member_connect', 'backend member connection timeout'),
      int('--timeout-member-data <ms>', 'timeout_member_data', 'backend member inactivity timeout'),
      int('--timeout-tcp-inspect <ms>', 'timeout_tcp_inspect', 'time to wait for TCP content inspection'),
      str(
        '--default-tls-container-ref <ref>',
        'default_tls_container_ref',
        'certificate container (TERMINATED_HTTPS)',
      ),
      {
        flag: '--insert-headers <json>',
        field: 'insert_headers',
        type: 'json',
        help: 'headers to insert, as JSON',
        verbs: both,
      },
    ],
    switches: [adminState],
  },
  pool: {
    name: 'pool',
    command: 'pool',
    label: 'pool',
    envelope: 'pool',
    plural: 'pools',
    columns: ['id', 'name', 'protocol', 'lb_algorithm', 'admin_state_up', 'provisioning_status'],
    options: [
      name(),
      description,
      str(
        '--protocol <protocol>',
        'protocol',
        'HTTP, HTTPS, PROXY, PROXYV2, TCP, UDP, SCTP',
        createOnly,
        true,
      ),
      str(
        '--lb-algorithm <algorithm>',
        'lb_algorithm',
        'ROUND_ROBIN, LEAST_CONNECTIONS, SOURCE_IP, SOURCE_IP_PORT',
        both,
        true,
      ),
      ref('--loadbalancer <lb>', 'loadbalancer_id', 'loadbalancer', 'load balancer (name or id)', createOnly),
      ref(
        '--listener <listener>',
        'listener_id',
        'listener',
        'listener whose default pool this becomes',
        createOnly,
      ),
      {
        flag: '--session-persistence <json>',
        field: 'session_persistence',
        type: 'json',
        help: 'e.g. {"type":"SOURCE_IP"}',
        verbs: both,
      },
    ],
    switches: [adminState],
  },
  member: {
    name: 'member',
    command: 'member',
    label: 'member',
    envelope: 'member',
    plural: 'members',
    parent: 'pool',
    columns: ['id', 'name', 'address', 'protocol_port', 'weight', 'provisioning_status', 'operating_status'],
    options: [
      name(),
      str('--address <ip>', 'address', 'member IP address', createOnly, true),
      int('--protocol-port <port>', 'protocol_port', 'member port', createOnly, true),
      int('--weight <n>', 'weight', 'weight (0–256)'),
      {
        flag: '--subnet-id <subnet>',
        field: 'subnet_id',
        type: 'subnet',
        help: 'member subnet (name or id)',
        verbs: createOnly,
      },
      str('--monitor-address <ip>', 'monitor_address', 'address health checks go to'),
      int('--monitor-port <port>', 'monitor_port', 'port health checks go to'),
    ],
    switches: [
      adminState,
      { on: '--enable-backup', off: '--disable-backup', field: 'backup', help: 'backup member' },
    ],
  },
  healthmonitor: {
    name: 'healthmonitor',
    command: 'healthmonitor',
    label: 'health monitor',
    envelope: 'healthmonitor',
    plural: 'healthmonitors',
    createParent: { kind: 'pool', field: 'pool_id' },
    columns: ['id', 'name', 'type', 'delay', 'timeout', 'max_retries', 'provisioning_status'],
    options: [
      name(),
      str('--type <type>', 'type', 'HTTP, HTTPS, PING, TCP, TLS-HELLO, UDP-CONNECT, SCTP', createOnly, true),
      int('--delay <s>', 'delay', 'seconds between checks', both, true),
      int('--timeout <s>', 'timeout', 'seconds a check may take', both, true),
      int('--max-retries <n>', 'max_retries', 'successes before ONLINE', both, true),
      int('--max-retries-down <n>', 'max_retries_down', 'failures before ERROR'),
      str('--http-method <method>', 'http_method', 'HTTP method of HTTP checks'),
      str('--url-path <path>', 'url_path', 'URL path of HTTP checks'),
      str('--expected-codes <codes>', 'expected_codes', 'expected status codes, e.g. 200 or 200-204'),
    ],
    switches: [adminState],
  },
  l7policy: {
    name: 'l7policy',
    command: 'l7policy',
    label: 'L7 policy',
    envelope: 'l7policy',
    plural: 'l7policies',
    createParent: { kind: 'listener', field: 'listener_id' },
    columns: ['id', 'name', 'action', 'position', 'admin_state_up', 'provisioning_status'],
    options: [
      name(),
      description,
      str(
        '--action <action>',
        'action',
        'REJECT, REDIRECT_TO_URL, REDIRECT_TO_POOL, REDIRECT_PREFIX',
        both,
        true,
      ),
      ref('--redirect-pool <pool>', 'redirect_pool_id', 'pool', 'pool (name or id)', both),
      str('--redirect-url <url>', 'redirect_url', 'URL to redirect to'),
      str('--redirect-prefix <url>', 'redirect_prefix', 'URL prefix to redirect to'),
      int('--redirect-http-code <code>', 'redirect_http_code', '301, 302, 303, 307 or 308'),
      int('--position <n>', 'position', 'position among the listener’s policies'),
    ],
    switches: [adminState],
  },
  l7rule: {
    name: 'l7rule',
    command: 'l7rule',
    label: 'L7 rule',
    envelope: 'rule',
    plural: 'rules',
    parent: 'l7policy',
    idOnly: true,
    columns: ['id', 'type', 'compare_type', 'key', 'value', 'invert', 'provisioning_status'],
    options: [
      str('--type <type>', 'type', 'HOST_NAME, PATH, FILE_TYPE, HEADER, COOKIE, SSL_*', both, true),
      str(
        '--compare-type <type>',
        'compare_type',
        'REGEX, STARTS_WITH, ENDS_WITH, CONTAINS, EQUAL_TO',
        both,
        true,
      ),
      str('--value <value>', 'value', 'value to compare', both, true),
      str('--key <key>', 'key', 'header or cookie name'),
    ],
    switches: [adminState, { on: '--invert', off: '--no-invert', field: 'invert', help: 'invert the match' }],
  },
};

/** The collection URL (under /v2/lbaas) of a kind, below its parent's id when it has one. */
export function collectionPath(kind: Kind, parentId?: string): string {
  if (!kind.parent) return `/${kind.plural}`;
  return `/${KINDS[kind.parent].plural}/${parentId}/${kind.plural}`;
}
