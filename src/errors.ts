// The one registry of coded errors: every failure the API can answer, with its stable code, HTTP status
// and wire message template. The API families (Octavia fault, Neutron error, Keystone error, Nova fault) only choose
// the body shape; the words come from here. Templates are the upstream ones (reference §1.5, WSME, Neutron).

export type ErrorSpec = { readonly status: number; readonly template: string };

export const ErrorCatalog = {
  // Request shape (WSME semantics, reference §1.3)
  'request.malformed-json': { status: 400, template: 'Request is not in valid JSON format' },
  'request.too-deep': { status: 400, template: 'Request body nests deeper than {limit} levels.' },
  // oslo.middleware's RequestBodySizeLimiter (oslo_middleware/sizelimit.py), which OpenStack APIs run with
  // max_request_body_size = 114688; its words, in each API family's own fault body.
  'request.too-large': {
    status: 413,
    template: 'Request is too large. Larger than max_request_body_size ({limit}).',
  },
  'request.bad-url': { status: 400, template: 'The request URL is not valid: {reason}.' },
  'request.uri-too-long': { status: 414, template: 'Request URI Too Long' },
  'request.invalid-input': {
    status: 400,
    template: 'Invalid input for field/attribute {field}. Value: {value}. {reason}',
  },
  'request.unknown-attribute': {
    status: 400,
    template: 'Unknown attribute for argument {argument}: {attributes}',
  },
  'request.unknown-attributes': {
    status: 400,
    template: 'Unknown attributes for argument {argument}: {attributes}',
  },
  'request.invalid-argument': {
    status: 400,
    template: 'One or more arguments are either duplicate or invalid',
  },
  // Listing (reference §1.4)
  'list.invalid-limit': { status: 400, template: "Supplied pagination limit '{limit}' is not valid." },
  'list.invalid-marker': { status: 400, template: "Supplied pagination marker '{marker}' is not valid." },
  'list.invalid-sort-key': { status: 400, template: "Supplied sort key '{key}' is not valid." },
  'list.invalid-sort-dir': { status: 400, template: "Supplied sort direction '{dir}' is not valid." },
  // Semantic validation and conflicts (reference §1.5)
  'octavia.validation': { status: 400, template: 'Validation failure: {detail}' },
  'octavia.vip-validation': {
    status: 400,
    template: 'Validation failure: VIP must contain one of: {objects}.',
  },
  'octavia.invalid-option': { status: 400, template: '{value} is not a valid option for {option}' },
  'octavia.invalid-subresource': { status: 400, template: '{resource} {id} not found.' },
  'octavia.missing-project': {
    status: 400,
    template: 'Missing project ID in request where one is required.',
  },
  'octavia.provider-not-enabled': { status: 400, template: "Provider '{provider}' is not enabled." },
  'octavia.disabled-option': {
    status: 400,
    template: 'The selected {option} is not allowed in this deployment: {value}',
  },
  'octavia.provider-flavor-mismatch': {
    status: 400,
    template: "Flavor '{flavor}' is not compatible with provider '{provider}'",
  },
  'octavia.policy-forbidden': {
    status: 403,
    template: 'Policy does not allow this request to be performed.',
  },
  'octavia.quota': { status: 403, template: 'Quota has been met for resources: {resource}' },
  // GET /metrics names every load balancer and its traffic: only clients in --metrics-allowed-cidrs read it.
  'metrics.forbidden': {
    status: 403,
    template: 'Client {address} may not read metrics: it is outside the metrics allowed CIDRs.',
  },
  'octavia.not-found': { status: 404, template: '{resource} {id} not found.' },
  'octavia.immutable': { status: 409, template: '{resource} {id} is immutable and cannot be updated.' },
  'octavia.lb-pending': { status: 409, template: 'Invalid state {state} of loadbalancer resource {id}' },
  'octavia.ip-in-use': { status: 409, template: 'IP address {ip} already allocated in subnet {subnet}' },
  // VIPAddressConflict (octavia/common/exceptions.py, 17.0.0): `msg` is Neutron's IpAddressAlreadyAllocated
  'octavia.vip-address-conflict': { status: 409, template: 'The VIP IP address is already in use: {msg}' },
  'octavia.provider-unsupported': {
    status: 501,
    template: "Provider '{provider}' does not support a requested option: {message}",
  },
  'octavia.provider-error': { status: 500, template: "Provider '{provider}' reports error: {message}" },
  // TLS refs (octavia/common/exceptions.py UnreadablePKCS12, CertificateRetrievalException); `ref` is the
  // Python list of the refs that could not be read
  'octavia.unreadable-pkcs12': {
    status: 400,
    template:
      'The PKCS12 bundle is unreadable. Please check the PKCS12 bundle validity. In addition, make sure it ' +
      'does not require a pass phrase. Error: {error}',
  },
  'octavia.certificate-retrieval': { status: 400, template: 'Could not retrieve certificate: {ref}' },
  // HTTP plumbing
  'http.not-found': { status: 404, template: 'The resource could not be found.' },
  'http.method-not-allowed': { status: 405, template: 'The method is not allowed for the requested URL.' },
  'http.internal': { status: 500, template: 'Internal Server Error' },
  'http.bad-request': { status: 400, template: 'Bad Request' },
  'http.header-too-large': { status: 431, template: 'Request Header Fields Too Large' },
  // Identity (Keystone error bodies)
  'identity.unauthorized': { status: 401, template: 'The request you have made requires authentication.' },
  'identity.invalid-credentials': {
    status: 401,
    template: 'The request you have made requires authentication.',
  },
  'identity.forbidden': {
    status: 403,
    template: 'You are not authorized to perform the requested action: {action}.',
  },
  'identity.not-found': { status: 404, template: 'Could not find {kind}: {id}.' },
  'identity.conflict': { status: 409, template: 'Conflict occurred attempting to store {kind} - {detail}.' },
  'identity.validation': { status: 400, template: 'Invalid input for field {field}: {reason}' },
  // Compute (Nova fault bodies, nova/exception.py and nova/api/openstack/wsgi.py)
  'compute.server-not-found': { status: 404, template: 'Instance {id} could not be found.' },
  'compute.flavor-not-found': { status: 404, template: 'Flavor {id} could not be found.' },
  'compute.bad-request': { status: 400, template: '{detail}' },
  'compute.invalid-version': {
    status: 400,
    template: 'API Version String {version} is of invalid format. Must be of format MajorNum.MinorNum.',
  },
  'compute.unsupported-version': {
    status: 406,
    template: 'Version {version} is not supported by the API. Minimum is {min} and maximum is {max}.',
  },
  // Key manager (Barbican's `{code, title, description}` body; barbican/api/controllers/*.py, barbican/
  // common/{exception,validators}.py). `{operation}` is the controller's handle_exceptions name.
  'key-manager.malformed-json': { status: 400, template: 'Malformed JSON' },
  'key-manager.invalid-object': {
    status: 400,
    template: "Provided object does not match schema '{schema}': {reason}. Invalid property: '{property}'",
  },
  'key-manager.unsupported-field': { status: 400, template: 'Provided field value is not supported' },
  'key-manager.too-large': { status: 413, template: 'Provided information too large to process' },
  'key-manager.issue': { status: 400, template: '{operation} issue seen - {reason}.' },
  'key-manager.issue-too-large': {
    status: 413,
    template: '{operation} issue seen - Provided information too large to process.',
  },
  'key-manager.bad-query': { status: 400, template: 'URI provided invalid query string parameters.' },
  'key-manager.forbidden': {
    status: 403,
    template: '{operation} attempt not allowed - please review your user/project privileges',
  },
  'key-manager.failure': {
    status: 500,
    template: '{operation} failure seen - please contact site administrator.',
  },
  'key-manager.secret-not-found': { status: 404, template: 'Secret not found.' },
  'key-manager.invalid-secret-id': { status: 404, template: 'Not Found. Provided secret id is invalid.' },
  'key-manager.no-payload': { status: 404, template: 'Not Found. Sorry but your secret has no payload.' },
  'key-manager.has-data': { status: 409, template: 'Secret already has data, cannot modify it.' },
  'key-manager.wrong-accept': {
    status: 406,
    template: '{operation} issue seen - Wrong payload content-type.',
  },
  'key-manager.unexpected-content-type': {
    status: 415,
    template: 'Unexpected content type. Expected content types are: {expected}',
  },
  'key-manager.container-not-found': { status: 404, template: 'Secrets container not found.' },
  'key-manager.invalid-container-id': {
    status: 404,
    template: 'Not Found. Provided container id is invalid.',
  },
  'key-manager.container-secret-missing': {
    status: 404,
    template: "Secret provided for '{name}' doesn't exist.",
  },
  'key-manager.consumer-not-found': { status: 404, template: 'Consumer not found.' },
  // Networking (Neutron error bodies, type in `neutronType`)
  'network.not-found': { status: 404, template: '{kind} {id} could not be found.' },
  'network.bad-request': { status: 400, template: 'Invalid input for operation: {detail}.' },
  'network.ip-allocated': {
    status: 409,
    template: 'IP address {ip} already allocated in subnet {subnet}',
  },
  'network.ip-exhausted': {
    status: 409,
    template: 'No more IP addresses available on network {network}.',
  },
  'network.in-use': { status: 409, template: '{detail}' },
  'network.forbidden': { status: 403, template: '{detail}' },
  'network.invalid-attribute': { status: 400, template: 'Invalid input for {attribute}. Reason: {reason}.' },
  'network.unrecognized-attributes': { status: 400, template: "Unrecognized attribute(s) '{attributes}'" },
  'network.http-bad-request': { status: 400, template: '{detail}' },
  'network.invalid-ip-for-subnet': {
    status: 400,
    template: 'IP address {ip} is not a valid IP for the specified subnet.',
  },
  'network.invalid-ip-for-network': {
    status: 400,
    template: 'IP address {ip} is not a valid IP for any of the subnets on the specified network.',
  },
  'network.conflict': { status: 409, template: '{detail}' },
  // Pools, members, health monitors (reference §5–§7: DuplicatePoolEntry, DuplicateMemberEntry,
  // DuplicateHealthMonitor, PoolInUseByL7Policy)
  'octavia.duplicate-pool': { status: 409, template: 'This listener already has a default pool' },
  'octavia.duplicate-member': {
    status: 409,
    template: 'Another member on this pool is already using ip {ip} on protocol_port {port}',
  },
  'octavia.duplicate-health-monitor': { status: 409, template: 'This pool already has a health monitor' },
  // API 2.30 (octavia/common/exceptions.py MemberSRIOVDisabled): Sluice has no SR-IOV member ports
  'octavia.member-sriov-disabled': {
    status: 400,
    template: 'The load balancer flavor does not allow SR-IOV member ports.',
  },
  'octavia.pool-in-use': { status: 409, template: 'Pool {id} is in use by L7 policy {l7policy}' },
  // Providers, flavors, availability zones (reference §10: ObjectInUse, RecordAlreadyExists,
  // ProviderNotImplementedError)
  'octavia.object-in-use': { status: 409, template: '{object} {id} is in use and cannot be modified.' },
  'octavia.record-exists': { status: 409, template: 'A {field} of {name} already exists.' },
  'octavia.provider-not-implemented': {
    status: 501,
    template: "Provider '{provider}' does not support a requested action: {message}",
  },
  // Listeners, L7 policies and rules (reference §4, §8: DuplicateListenerEntry, ListenerNoChildren,
  // L7RuleValidation, InvalidL7PolicyArgs, InvalidL7PolicyAction, TooManyL7RulesOnL7Policy)
  'octavia.duplicate-listener': {
    status: 409,
    template:
      'Another Listener on this Load Balancer is already using protocol {protocol} and protocol_port {port}',
  },
  'octavia.listener-no-children': {
    status: 400,
    template: 'Protocol {protocol} listeners cannot have child objects.',
  },
  'octavia.l7rule-validation': { status: 400, template: 'Error parsing L7Rule: {error}' },
  'octavia.l7policy-args': { status: 400, template: 'Invalid L7 Policy arguments: {msg}' },
  'octavia.l7policy-action': { status: 400, template: 'Invalid L7 Policy action specified: {action}' },
  'octavia.too-many-l7rules': { status: 409, template: 'Too many rules on L7 policy {id}' },
  // agent protocol (architecture §1): agents authenticate with their own bearer token
  'agent.unauthorized': { status: 401, template: 'Agent token missing or not recognized.' },
  'agent.not-found': { status: 404, template: 'Agent {id} not found.' },
  'agent.bad-report': { status: 400, template: 'Invalid agent message: {reason}' },
  // Networking completion and LBaaS v1 (issue #6): Neutron 404s whose words name more than one id
  'network.not-found-detail': { status: 404, template: '{detail}' },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ErrorCatalog;

/** Neutron's error `type` for the networking codes (the NeutronError body carries it). */
export const NeutronErrorTypes: Partial<Record<ErrorCode, string>> = {
  'network.not-found': 'NotFound',
  'network.bad-request': 'BadRequest',
  'network.ip-allocated': 'IpAddressAlreadyAllocated',
  'network.ip-exhausted': 'IpAddressGenerationFailure',
  'network.in-use': 'InUse',
  'network.forbidden': 'Forbidden',
  'network.invalid-attribute': 'HTTPBadRequest',
  'network.unrecognized-attributes': 'HTTPBadRequest',
  'network.http-bad-request': 'HTTPBadRequest',
  'network.invalid-ip-for-subnet': 'InvalidIpForSubnet',
  'network.invalid-ip-for-network': 'InvalidIpForNetwork',
  'network.conflict': 'Conflict',
};

export class SluiceError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly params: Readonly<Record<string, string | number>>;
  /** Overrides Neutron's error type for codes shared by several Neutron exceptions (e.g. NetworkNotFound). */
  readonly neutronType?: string;

  constructor(code: ErrorCode, params: Record<string, string | number> = {}, neutronType?: string) {
    super(formatMessage(code, params));
    this.name = 'SluiceError';
    this.code = code;
    this.status = ErrorCatalog[code].status;
    this.params = params;
    this.neutronType = neutronType;
  }
}

export function formatMessage(code: ErrorCode, params: Record<string, string | number>): string {
  return ErrorCatalog[code].template.replace(/\{(\w+)\}/g, (_, key: string) =>
    key in params ? String(params[key]) : `{${key}}`,
  );
}

/** Shorthand used everywhere: `throw fail('octavia.not-found', { resource: 'Load Balancer', id })`. */
export function fail(code: ErrorCode, params: Record<string, string | number> = {}): SluiceError {
  return new SluiceError(code, params);
}
