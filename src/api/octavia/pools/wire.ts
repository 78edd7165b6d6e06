// Wire mapping for pools (reference §5): domain → Octavia's snake_case response (loadbalancers, listeners and
// members as [{id}], healthmonitor_id, tenant_id), and parsed request bodies → the domain pool or its changes.
import {
  DEFAULT_POOL_ALPN_PROTOCOLS,
  DEFAULT_POOL_CIPHERS,
  DEFAULT_POOL_TLS_VERSIONS,
  type NewPool,
  type Pool,
  type PoolChanges,
  type SessionPersistence,
} from '../../../model/pool.ts';
import type { SessionPersistenceInput } from '../../../model/pool-validation.ts';
import type { FilterField, WireObject } from '../../wire/listing.ts';
import { firstRefId, modelFields } from '../filter-fields.ts';
import { commonWire, idRefs } from '../octavia-wire.ts';
import { COMMON_COLUMNS, type SqlColumns, sqlText } from '../sql-page-spec.ts';

type Body = Record<string, unknown>;

export function poolToWire(pool: Pool): WireObject {
  const sp = pool.sessionPersistence;
  return {
    ...commonWire(pool),
    description: pool.description ?? '',
    protocol: pool.protocol,
    lb_algorithm: pool.lbAlgorithm,
    session_persistence: sp && {
      type: sp.type,
      cookie_name: sp.cookieName,
      persistence_timeout: sp.persistenceTimeout,
      persistence_granularity: sp.persistenceGranularity,
    },
    loadbalancers: idRefs([pool.loadBalancerId]),
    listeners: idRefs(pool.listenerIds),
    members: idRefs(pool.memberIds),
    healthmonitor_id: pool.healthMonitorId,
    tls_enabled: pool.tlsEnabled,
    tls_container_ref: pool.tlsContainerRef,
    ca_tls_container_ref: pool.caTlsContainerRef,
    crl_container_ref: pool.crlContainerRef,
    tls_ciphers: pool.tlsCiphers,
    tls_versions: pool.tlsVersions && [...pool.tlsVersions],
    alpn_protocols: pool.alpnProtocols && [...pool.alpnProtocols],
  };
}

/** Attributes a pool list may filter or sort on: the scalar wire fields. */
export const POOL_ATTRIBUTES = [
  'id',
  'name',
  'description',
  'provisioning_status',
  'operating_status',
  'admin_state_up',
  'project_id',
  'tenant_id',
  'protocol',
  'lb_algorithm',
  'healthmonitor_id',
  'tls_enabled',
  'tls_container_ref',
  'ca_tls_container_ref',
  'crl_container_ref',
  'tls_ciphers',
  'created_at',
  'updated_at',
] as const;

/** A parsed `session_persistence` body object as the validator sees it. */
export function persistenceInput(sp: Body | null | undefined): SessionPersistenceInput | null | undefined {
  if (sp === null || sp === undefined) return sp;
  return {
    type: sp.type as string | null | undefined,
    cookieName: sp.cookie_name as string | null | undefined,
    persistenceTimeout: sp.persistence_timeout as number | null | undefined,
    persistenceGranularity: sp.persistence_granularity as string | null | undefined,
  };
}

/** What is stored for a (validated) session persistence request: null or `{}` means none. */
export function persistenceFromInput(
  sp: SessionPersistenceInput | null | undefined,
): SessionPersistence | null {
  if (!sp?.type) return null;
  return {
    type: sp.type as SessionPersistence['type'],
    cookieName: sp.cookieName ?? null,
    persistenceTimeout: sp.persistenceTimeout ?? null,
    persistenceGranularity: sp.persistenceGranularity ?? null,
  };
}

/**
 * The pool a validated POST body (or a fully populated LB's pool item) describes, PENDING_CREATE/OFFLINE.
 * TLS defaults (ciphers, versions, ALPN) are filled in only when tls_enabled (reference §5).
 */
export function newPoolFromBody(
  body: Body,
  ids: Readonly<{ id: string; projectId: string; loadBalancerId: string }>,
): NewPool {
  const tlsEnabled = body.tls_enabled === true;
  const list = (value: unknown, fallback: readonly string[]) =>
    (value as string[] | null | undefined) ?? (tlsEnabled ? [...fallback] : null);
  return {
    ...ids,
    name: (body.name as string | null | undefined) ?? null,
    description: (body.description as string | null | undefined) ?? null,
    adminStateUp: body.admin_state_up === undefined ? true : body.admin_state_up === true,
    provisioningStatus: 'PENDING_CREATE',
    operatingStatus: 'OFFLINE',
    protocol: body.protocol as string,
    lbAlgorithm: body.lb_algorithm as string,
    sessionPersistence: persistenceFromInput(persistenceInput(body.session_persistence as Body | null)),
    tlsEnabled,
    tlsContainerRef: (body.tls_container_ref as string | null | undefined) ?? null,
    caTlsContainerRef: (body.ca_tls_container_ref as string | null | undefined) ?? null,
    crlContainerRef: (body.crl_container_ref as string | null | undefined) ?? null,
    tlsCiphers: (body.tls_ciphers as string | null | undefined) ?? (tlsEnabled ? DEFAULT_POOL_CIPHERS : null),
    tlsVersions: list(body.tls_versions, DEFAULT_POOL_TLS_VERSIONS),
    alpnProtocols: list(body.alpn_protocols, DEFAULT_POOL_ALPN_PROTOCOLS),
    tags: (body.tags as string[] | null | undefined) ?? [],
  };
}

/** The changes a validated PUT body asks for; explicit nulls reset to defaults (reference §5). */
export function poolChangesFromBody(
  body: Body,
  sessionPersistence?: SessionPersistenceInput | null,
): PoolChanges {
  const has = (key: string) => key in body;
  const text = (key: string) => body[key] as string | null;
  return {
    ...(has('name') && { name: text('name') }),
    ...(has('description') && { description: text('description') }),
    // Octavia coerces `admin_state_up: null` (and tls_enabled) to false (reference §1.3).
    ...(has('admin_state_up') && { adminStateUp: body.admin_state_up === true }),
    ...(has('lb_algorithm') && body.lb_algorithm !== null && { lbAlgorithm: text('lb_algorithm')! }),
    ...(sessionPersistence !== undefined && { sessionPersistence: persistenceFromInput(sessionPersistence) }),
    ...(has('tls_enabled') && { tlsEnabled: body.tls_enabled === true }),
    ...(has('tls_container_ref') && { tlsContainerRef: text('tls_container_ref') }),
    ...(has('ca_tls_container_ref') && { caTlsContainerRef: text('ca_tls_container_ref') }),
    ...(has('crl_container_ref') && { crlContainerRef: text('crl_container_ref') }),
    ...(has('tls_ciphers') && { tlsCiphers: text('tls_ciphers') ?? DEFAULT_POOL_CIPHERS }),
    ...(has('tls_versions') && {
      tlsVersions: (body.tls_versions as string[] | null) ?? [...DEFAULT_POOL_TLS_VERSIONS],
    }),
    ...(has('alpn_protocols') && {
      alpnProtocols: (body.alpn_protocols as string[] | null) ?? [...DEFAULT_POOL_ALPN_PROTOCOLS],
    }),
    ...(has('tags') && { tags: (body.tags as string[] | null) ?? [] }),
  };
}

/** Filter keys of the list: the data model's fields under their API and database names (reference §1.4). */
export const POOL_FILTERS: Readonly<Record<string, FilterField>> = {
  ...modelFields(POOL_ATTRIBUTES),
  tls_certificate_id: 'tls_container_ref',
  ca_tls_certificate_id: 'ca_tls_container_ref',
  crl_container_id: 'crl_container_ref',
  load_balancer_id: firstRefId('loadbalancers'),
  loadbalancer_id: firstRefId('loadbalancers'),
};

/** The wire keys a list page reads straight from a column (sql-page-spec.ts); `healthmonitor_id` has none. */
export const POOL_COLUMNS: SqlColumns = {
  ...COMMON_COLUMNS,
  protocol: sqlText('protocol'),
  lb_algorithm: sqlText('lb_algorithm'),
  tls_enabled: { column: 'tls_enabled', kind: 'bool' },
  tls_container_ref: sqlText('tls_container_ref', { nullable: true }),
  tls_certificate_id: sqlText('tls_container_ref', { nullable: true }),
  ca_tls_container_ref: sqlText('ca_tls_container_ref', { nullable: true }),
  ca_tls_certificate_id: sqlText('ca_tls_container_ref', { nullable: true }),
  crl_container_ref: sqlText('crl_container_ref', { nullable: true }),
  crl_container_id: sqlText('crl_container_ref', { nullable: true }),
  tls_ciphers: sqlText('tls_ciphers', { nullable: true }),
  load_balancer_id: sqlText('load_balancer_id'),
  loadbalancer_id: sqlText('load_balancer_id'),
};
