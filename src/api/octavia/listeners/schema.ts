// Request bodies for listeners, as Octavia's WSME types declare them (ListenerPOST/PUT/SingleCreate,
// reference §4.1), and the validation of a create or update (§4.2–§4.4) with its defaults, usable without
// an HTTP request by the fully populated load balancer create.
import { fail } from '../../../errors.ts';
import {
  DEFAULT_ALPN_PROTOCOLS,
  DEFAULT_TIMEOUTS,
  DEFAULT_TLS_VERSIONS,
} from '../../../model/desired-state.ts';
import { formatCidr } from '../../../model/ipam.ts';
import {
  ALPN_PROTOCOLS,
  CLIENT_AUTH_MODES,
  DEFAULT_CONNECTION_LIMIT,
  DEFAULT_LISTENER_CIPHERS,
  getsTlsDefaults,
  type Listener,
  type ListenerChanges,
  type ListenerSpec,
  MAX_TIMEOUT,
  MIN_CONNECTION_LIMIT,
  MIN_TIMEOUT,
} from '../../../model/listener.ts';
import {
  hstsCreateProblem,
  hstsUpdateProblem,
  type ListenerProblem,
  listenerCreateProblem,
  listenerUpdateProblem,
  parseAllowedCidr,
} from '../../../model/listener-rules.ts';
import type { Vip } from '../../../model/load-balancer.ts';
import { isPoolCompatible, ListenerProtocol, poolProtocolMismatch } from '../../../model/protocols.ts';
import type { TlsPolicy } from '../../../model/tls-policy.ts';
import { field, type ObjectFields, required, t } from '../../wire/field-types.ts';
import type { Parsed } from '../../wire/parse-body.ts';
import { pyStr } from '../../wire/py-str.ts';
import { L7POLICY_SINGLE_CREATE } from '../l7policies/schema.ts';

const TIMEOUT = t.int(MIN_TIMEOUT, MAX_TIMEOUT);
const MUTABLE: ObjectFields = {
  name: field(t.string()),
  description: field(t.string()),
  admin_state_up: field(t.bool()),
  connection_limit: field(t.int(MIN_CONNECTION_LIMIT)),
  default_tls_container_ref: field(t.string()),
  sni_container_refs: field(t.list(t.string())),
  default_pool_id: field(t.uuid()),
  insert_headers: field(t.dict(t.string())),
  timeout_client_data: field(TIMEOUT),
  timeout_member_connect: field(TIMEOUT),
  timeout_member_data: field(TIMEOUT),
  timeout_tcp_inspect: field(TIMEOUT),
  tags: field(t.list(t.string())),
  client_ca_tls_container_ref: field(t.string()),
  client_authentication: field(t.enum(CLIENT_AUTH_MODES)),
  client_crl_container_ref: field(t.string()),
  // CidrType: each item is checked by readCidrs (WSME reports the whole list as the value).
  allowed_cidrs: field(t.list(t.json())),
  tls_ciphers: field(t.string(2048)),
  tls_versions: field(t.list(t.string(32))),
  alpn_protocols: field(t.list(t.enum(ALPN_PROTOCOLS))),
  // API 2.27 (octavia/api/v2/types/listener.py): an age in seconds, no maximum but the 32-bit column's
  hsts_max_age: field(t.int(0)),
  hsts_include_subdomains: field(t.bool()),
  hsts_preload: field(t.bool()),
};
/** A listener inside a fully populated load balancer create (reference §3.3). */
export const LISTENER_SINGLE_CREATE: ObjectFields = {
  ...MUTABLE,
  protocol: required(t.enum(Object.values(ListenerProtocol))),
  protocol_port: required(t.int(1, 65535)),
  // Graph-only inputs (reference §3.3).
  default_pool: field(t.json()),
  l7policies: field(t.list(t.object(L7POLICY_SINGLE_CREATE))),
};
export const LISTENER_POST: ObjectFields = {
  ...LISTENER_SINGLE_CREATE,
  loadbalancer_id: required(t.uuid()),
  project_id: field(t.string(36)),
  tenant_id: field(t.string(36)),
};
export const LISTENER_PUT: ObjectFields = MUTABLE;
export const LISTENER_POST_ENVELOPE: ObjectFields = { listener: required(t.create(LISTENER_POST)) };
export const LISTENER_PUT_ENVELOPE: ObjectFields = { listener: required(t.object(LISTENER_PUT)) };

const refuse = (problem: ListenerProblem | undefined): void => {
  if (problem) throw fail(problem.code, problem.params);
};

/**
 * A pool a listener points at (default pool or L7 redirect) must be a pool of its load balancer (`pool`
 * is the lookup result: 404 when absent) with a compatible protocol; PROMETHEUS listeners take no pool
 * (reference §4.1, §4.2, §8.1).
 */
export function checkListenerPool(
  listenerProtocol: string,
  poolId: string,
  pool: { protocol: string } | undefined,
) {
  if (listenerProtocol === 'PROMETHEUS')
    throw fail('octavia.listener-no-children', { protocol: 'PROMETHEUS' });
  if (!pool) throw fail('octavia.not-found', { resource: 'Pool', id: poolId });
  if (!isPoolCompatible(listenerProtocol, pool.protocol)) {
    throw fail('octavia.validation', { detail: poolProtocolMismatch(pool.protocol, listenerProtocol) });
  }
}

/** The addresses allowed_cidrs are checked against: the primary VIP, then the additional ones. */
export const vipAddresses = (lb: Readonly<{ vip: Vip }>): string[] => [
  lb.vip.address,
  ...lb.vip.additional.map((a) => a.address),
];

/** Validates a listener of a POST or of a graph and returns what to store, defaults applied. */
export function validateListenerCreate(
  body: Parsed,
  vipAddresses: readonly string[],
  vipSgIds: readonly string[],
  tlsPolicy: TlsPolicy,
): ListenerSpec {
  const protocol = body.protocol as string;
  const allowedCidrs = readCidrs(body.allowed_cidrs);
  const tls = {
    protocol,
    defaultTlsContainerRef: text(body.default_tls_container_ref),
    sniContainerRefs: (body.sni_container_refs as string[] | null | undefined) ?? [],
    clientCaTlsContainerRef: text(body.client_ca_tls_container_ref),
    clientAuthentication: (body.client_authentication as string | null | undefined) ?? 'NONE',
    clientCrlContainerRef: text(body.client_crl_container_ref),
  };
  const tlsVersions = body.tls_versions as string[] | null | undefined;
  const alpnProtocols = body.alpn_protocols as string[] | null | undefined;
  const insertHeaders = (body.insert_headers as Record<string, string> | null | undefined) ?? null;
  refuse(
    listenerCreateProblem(
      { ...tls, insertHeaders, tlsVersions, alpnProtocols, allowedCidrs, tlsCiphers: text(body.tls_ciphers) },
      vipAddresses,
      vipSgIds.length > 0,
      tlsPolicy,
    ),
  );
  const hsts = {
    hstsMaxAge: (body.hsts_max_age as number | null | undefined) ?? null,
    hstsIncludeSubdomains: body.hsts_include_subdomains === true,
    hstsPreload: body.hsts_preload === true,
  };
  refuse(hstsCreateProblem(protocol, hsts));
  const tlsDefaults = getsTlsDefaults(protocol);
  return {
    ...hsts,
    ...tls,
    name: text(body.name),
    description: text(body.description),
    adminStateUp: body.admin_state_up === undefined ? true : body.admin_state_up === true,
    protocolPort: body.protocol_port as number,
    connectionLimit: (body.connection_limit as number | null | undefined) ?? DEFAULT_CONNECTION_LIMIT,
    defaultPoolId: text(body.default_pool_id),
    insertHeaders,
    ...timeouts(body, false),
    allowedCidrs: normalized(allowedCidrs),
    tlsCiphers: text(body.tls_ciphers) ?? (tlsDefaults ? DEFAULT_LISTENER_CIPHERS : null),
    tlsVersions: tlsVersions ?? (tlsDefaults ? [...DEFAULT_TLS_VERSIONS] : null),
    alpnProtocols: alpnProtocols ?? (tlsDefaults ? [...DEFAULT_ALPN_PROTOCOLS] : null),
    tags: (body.tags as string[] | null | undefined) ?? [],
  };
}

/** Validates a PUT against the stored listener (reference §4.4) and returns the changes, null → default. */
export function validateListenerUpdate(
  body: Parsed,
  stored: Listener,
  vipAddresses: readonly string[],
  vipSgIds: readonly string[],
  tlsPolicy: TlsPolicy,
): ListenerChanges {
  const has = (key: string) => key in body;
  const allowedCidrs = has('allowed_cidrs') ? readCidrs(body.allowed_cidrs) : undefined;
  const tlsDefaults = getsTlsDefaults(stored.protocol);
  const changes: ListenerChanges = {
    ...(has('name') && { name: text(body.name) }),
    ...(has('description') && { description: text(body.description) }),
    ...(has('admin_state_up') && { adminStateUp: body.admin_state_up === true }),
    ...(has('connection_limit') && {
      connectionLimit: (body.connection_limit as number | null) ?? DEFAULT_CONNECTION_LIMIT,
    }),
    ...(has('default_pool_id') && { defaultPoolId: text(body.default_pool_id) }),
    ...(has('default_tls_container_ref') && { defaultTlsContainerRef: text(body.default_tls_container_ref) }),
    ...(has('sni_container_refs') && {
      sniContainerRefs: (body.sni_container_refs as string[] | null) ?? [],
    }),
    ...(has('insert_headers') && { insertHeaders: body.insert_headers as Record<string, string> | null }),
    ...timeouts(body, true),
    ...(has('client_ca_tls_container_ref') && {
      clientCaTlsContainerRef: text(body.client_ca_tls_container_ref),
    }),
    ...(has('client_authentication') && {
      clientAuthentication: (body.client_authentication as string | null) ?? 'NONE',
    }),
    ...(has('client_crl_container_ref') && { clientCrlContainerRef: text(body.client_crl_container_ref) }),
    ...(allowedCidrs !== undefined && { allowedCidrs: normalized(allowedCidrs) }),
    ...(has('tls_ciphers') && {
      tlsCiphers: text(body.tls_ciphers) ?? (tlsDefaults ? DEFAULT_LISTENER_CIPHERS : null),
    }),
    ...(has('tls_versions') && {
      tlsVersions: (body.tls_versions as string[] | null) ?? (tlsDefaults ? [...DEFAULT_TLS_VERSIONS] : null),
    }),
    ...(has('alpn_protocols') && {
      alpnProtocols:
        (body.alpn_protocols as string[] | null) ?? (tlsDefaults ? [...DEFAULT_ALPN_PROTOCOLS] : null),
    }),
    ...(has('hsts_max_age') && { hstsMaxAge: (body.hsts_max_age as number | null) ?? null }),
    ...(has('hsts_include_subdomains') && { hstsIncludeSubdomains: body.hsts_include_subdomains === true }),
    ...(has('hsts_preload') && { hstsPreload: body.hsts_preload === true }),
    ...(has('tags') && { tags: (body.tags as string[] | null) ?? [] }),
  };
  const merged = { ...stored, ...changes };
  refuse(
    listenerUpdateProblem(
      {
        defaultTlsContainerRef: changes.defaultTlsContainerRef,
        sniContainerRefs: body.sni_container_refs as string[] | null | undefined,
        insertHeaders: body.insert_headers as Record<string, string> | null | undefined,
        tlsVersions: body.tls_versions as string[] | null | undefined,
        alpnProtocols: body.alpn_protocols as string[] | null | undefined,
        allowedCidrs,
        tlsCiphers: text(body.tls_ciphers),
      },
      merged,
      vipAddresses,
      vipSgIds.length > 0,
      tlsPolicy,
    ),
  );
  refuse(
    hstsUpdateProblem(stored, {
      hstsMaxAge: body.hsts_max_age as number | null | undefined,
      hstsIncludeSubdomains: body.hsts_include_subdomains === true,
      hstsPreload: body.hsts_preload === true,
    }),
  );
  return changes;
}

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** The four timeouts (ms); absent or null means the configured default (reference §4.1). */
function timeouts(body: Parsed, onlyGiven: boolean) {
  const pick = (key: string, fallback: number) =>
    onlyGiven && !(key in body) ? undefined : ((body[key] as number | null | undefined) ?? fallback);
  const out = {
    timeoutClientData: pick('timeout_client_data', DEFAULT_TIMEOUTS.clientData),
    timeoutMemberConnect: pick('timeout_member_connect', DEFAULT_TIMEOUTS.memberConnect),
    timeoutMemberData: pick('timeout_member_data', DEFAULT_TIMEOUTS.memberData),
    timeoutTcpInspect: pick('timeout_tcp_inspect', DEFAULT_TIMEOUTS.tcpInspect),
  };
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined)) as {
    timeoutClientData: number;
    timeoutMemberConnect: number;
    timeoutMemberData: number;
    timeoutTcpInspect: number;
  };
}

/** CidrType: every item an IPv4/IPv6 network (host bits allowed); otherwise WSME's invalid-input fault. */
function readCidrs(value: unknown): string[] {
  const list = (value as unknown[] | null | undefined) ?? [];
  if (list.some((item) => typeof item !== 'string' || !parseAllowedCidr(item))) {
    throw fail('request.invalid-input', {
      field: 'allowed_cidrs',
      value: `'${pyStr(list)}'`,
      reason: 'Value should be IPv4 or IPv6 CIDR format',
    });
  }
  return list as string[];
}

/** Normalized (host bits cleared, canonical text) and without duplicates, in the order given. */
function normalized(cidrs: readonly string[]): string[] {
  const networks = cidrs.flatMap((cidr) => {
    const network = parseAllowedCidr(cidr);
    return network ? [formatCidr(network)] : [];
  });
  return [...new Set(networks)];
}
