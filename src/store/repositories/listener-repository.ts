// SQL for listeners: insert, read (with the ids of their L7 policies in position order), update, mark for
// deletion with everything under them, and the lookups a listener request needs (port clash per L4 space,
// the protocol of a pool on the same load balancer). State changes go through octavia-lock.ts.
import type { Selectable } from 'kysely';
import type { CertificateFacts } from '../../model/certificate-facts.ts';
import { DEFAULT_TIMEOUTS } from '../../model/desired-state.ts';
import type { Listener, ListenerChanges, ListenerSpec } from '../../model/listener.ts';
import { portSpace } from '../../model/protocols.ts';
import type { OperatingStatus, ProvisioningStatus } from '../../model/statuses.ts';
import { fromBool, fromJson, now, toBool, toJson } from '../codec.ts';
import type { Db } from '../database.ts';
import type { ListenerTable } from '../schema.ts';
import { type PageSpec, readPage } from './keyset-page.ts';
import { type Scope, scopedRows } from './scoped-rows.ts';
import { apiReason, recordCreated, recordStatusChanges } from './status-event-repository.ts';

type Row = Selectable<ListenerTable>;

/** A listener to insert: new rows are PENDING_CREATE / OFFLINE unless a graph create says otherwise. */
export type NewListener = ListenerSpec &
  Readonly<{
    id: string;
    projectId: string;
    loadBalancerId: string;
    provisioningStatus?: ProvisioningStatus;
    operatingStatus?: OperatingStatus;
    /** the facts of its server certificates, when the refs were read */
    tlsCertificates?: readonly CertificateFacts[] | null;
  }>;

export async function insertListener(db: Db, listener: NewListener): Promise<void> {
  await db
    .insertInto('listeners')
    .values({
      id: listener.id,
      project_id: listener.projectId,
      load_balancer_id: listener.loadBalancerId,
      provisioning_status: listener.provisioningStatus ?? 'PENDING_CREATE',
      operating_status: listener.operatingStatus ?? 'OFFLINE',
      protocol: listener.protocol,
      protocol_port: listener.protocolPort,
      created_at: now(),
      updated_at: null,
      tls_certificates: listener.tlsCertificates ? toJson(listener.tlsCertificates) : null,
      ...columns(listener),
      // the NOT NULL columns, stated again so the row type is complete
      name: listener.name,
      admin_state_up: toBool(listener.adminStateUp),
      connection_limit: listener.connectionLimit,
      sni_container_refs: toJson(listener.sniContainerRefs),
      client_authentication: listener.clientAuthentication,
      tags: toJson(listener.tags),
    })
    .execute();
  await recordCreated(db, 'listeners', [listener.id], apiReason('PENDING_CREATE'));
}

/** The listener columns a create or update sets, for the fields present in `spec`. */
function columns(spec: ListenerChanges) {
  const has = (key: keyof ListenerChanges) => spec[key] !== undefined;
  return {
    ...(has('name') && { name: spec.name }),
    ...(has('description') && { description: spec.description }),
    ...(has('adminStateUp') && { admin_state_up: toBool(spec.adminStateUp === true) }),
    ...(has('connectionLimit') && { connection_limit: spec.connectionLimit }),
    ...(has('defaultPoolId') && { default_pool_id: spec.defaultPoolId }),
    ...(has('defaultTlsContainerRef') && { default_tls_container_ref: spec.defaultTlsContainerRef }),
    ...(has('sniContainerRefs') && { sni_container_refs: toJson(spec.sniContainerRefs) }),
    ...(has('insertHeaders') && { insert_headers: spec.insertHeaders ? toJson(spec.insertHeaders) : null }),
    ...(has('timeoutClientData') && { timeout_client_data: spec.timeoutClientData }),
    ...(has('timeoutMemberConnect') && { timeout_member_connect: spec.timeoutMemberConnect }),
    ...(has('timeoutMemberData') && { timeout_member_data: spec.timeoutMemberData }),
    ...(has('timeoutTcpInspect') && { timeout_tcp_inspect: spec.timeoutTcpInspect }),
    ...(has('clientCaTlsContainerRef') && { client_ca_tls_container_ref: spec.clientCaTlsContainerRef }),
    ...(has('clientAuthentication') && { client_authentication: spec.clientAuthentication }),
    ...(has('clientCrlContainerRef') && { client_crl_container_ref: spec.clientCrlContainerRef }),
    ...(has('allowedCidrs') && {
      allowed_cidrs: spec.allowedCidrs?.length ? toJson(spec.allowedCidrs) : null,
    }),
    ...(has('tlsCiphers') && { tls_ciphers: spec.tlsCiphers }),
    ...(has('tlsVersions') && { tls_versions: spec.tlsVersions ? toJson(spec.tlsVersions) : null }),
    ...(has('alpnProtocols') && { alpn_protocols: spec.alpnProtocols ? toJson(spec.alpnProtocols) : null }),
    ...(has('hstsMaxAge') && { hsts_max_age: spec.hstsMaxAge }),
    ...(has('hstsIncludeSubdomains') && {
      hsts_include_subdomains: toBool(spec.hstsIncludeSubdomains === true),
    }),
    ...(has('hstsPreload') && { hsts_preload: toBool(spec.hstsPreload === true) }),
    ...(has('tags') && { tags: toJson(spec.tags) }),
  };
}

/** Applies a PUT and marks the listener PENDING_UPDATE (the caller holds the load balancer lock). */
export async function updateListener(db: Db, id: string, changes: ListenerChanges): Promise<void> {
  const reason = apiReason('PENDING_UPDATE');
  await recordStatusChanges(db, 'listeners', 'provisioning_status', 'PENDING_UPDATE', { ids: [id] }, reason);
  await db
    .updateTable('listeners')
    .set({ ...columns(changes), provisioning_status: 'PENDING_UPDATE', updated_at: now() })
    .where('id', '=', id)
    .execute();
}

/** Records the facts of a listener's server certificates (null: unknown, read again at the next start). */
export async function setListenerCertificates(
  db: Db,
  id: string,
  facts: readonly CertificateFacts[] | null,
): Promise<void> {
  await db
    .updateTable('listeners')
    .set({ tls_certificates: facts ? toJson(facts) : null })
    .where('id', '=', id)
    .execute();
}

/** Marks the listener and its L7 policies and rules PENDING_DELETE: they leave the data plane together. */
export async function markListenerDeleting(db: Db, id: string): Promise<void> {
  const policyIds = (
    await db.selectFrom('l7policies').select('id').where('listener_id', '=', id).execute()
  ).map((r) => r.id);
  const at = now();
  const reason = apiReason('PENDING_DELETE');
  if (policyIds.length > 0) {
    const rules = { l7PolicyIds: policyIds };
    await recordStatusChanges(db, 'l7rules', 'provisioning_status', 'PENDING_DELETE', rules, reason);
    const policies = { ids: policyIds };
    await recordStatusChanges(db, 'l7policies', 'provisioning_status', 'PENDING_DELETE', policies, reason);
    await db
      .updateTable('l7rules')
      .set({ provisioning_status: 'PENDING_DELETE', updated_at: at })
      .where('l7policy_id', 'in', policyIds)
      .execute();
    await db
      .updateTable('l7policies')
      .set({ provisioning_status: 'PENDING_DELETE', updated_at: at })
      .where('id', 'in', policyIds)
      .execute();
  }
  await recordStatusChanges(db, 'listeners', 'provisioning_status', 'PENDING_DELETE', { ids: [id] }, reason);
  await db
    .updateTable('listeners')
    .set({ provisioning_status: 'PENDING_DELETE', updated_at: at })
    .where('id', '=', id)
    .execute();
}

export async function findListener(db: Db, id: string): Promise<Listener | undefined> {
  const row = await db.selectFrom('listeners').selectAll().where('id', '=', id).executeTakeFirst();
  return row && (await withPolicies(db, [row]))[0];
}

/** Every listener, or one project's or load balancer's, oldest first, with their policies' ids. */
export async function listListeners(db: Db, scope: Scope = {}): Promise<Listener[]> {
  return withPolicies(db, await scopedRows(db, 'listeners', scope));
}

/** One list page of the project's (or every) listener, read in SQL, with its policies' ids; undefined: unknown marker. */
export async function pageListeners(
  db: Db,
  projectId: string | undefined,
  spec: PageSpec,
): Promise<Listener[] | undefined> {
  const rows = await readPage(db, db.selectFrom('listeners'), spec, { project_id: projectId });
  return rows && withPolicies(db, rows);
}

async function withPolicies(db: Db, rows: Row[]): Promise<Listener[]> {
  if (rows.length === 0) return [];
  const policies = await db
    .selectFrom('l7policies')
    .select(['id', 'listener_id'])
    .where(
      'listener_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('position')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map((row) =>
    toListener(
      row,
      policies.filter((p) => p.listener_id === row.id).map((p) => p.id),
    ),
  );
}

/**
 * The protocol of a listener on the load balancer that already uses `port` in the same L4 space as
 * `protocol` (TCP-based protocols share one space; UDP and SCTP have their own — reference §4.2).
 */
export async function portInUse(
  db: Db,
  loadBalancerId: string,
  protocol: string,
  port: number,
): Promise<string | undefined> {
  const rows = await db
    .selectFrom('listeners')
    .select('protocol')
    .where('load_balancer_id', '=', loadBalancerId)
    .where('protocol_port', '=', port)
    .execute();
  return rows.find((r) => portSpace(r.protocol) === portSpace(protocol))?.protocol;
}

/** A pool of the load balancer (only its id and protocol): listeners and L7 policies point at one. */
export async function findPoolOf(
  db: Db,
  loadBalancerId: string,
  poolId: string,
): Promise<{ id: string; protocol: string } | undefined> {
  return db
    .selectFrom('pools')
    .select(['id', 'protocol'])
    .where('id', '=', poolId)
    .where('load_balancer_id', '=', loadBalancerId)
    .executeTakeFirst();
}

function toListener(row: Row, l7PolicyIds: string[]): Listener {
  return {
    id: row.id,
    projectId: row.project_id,
    loadBalancerId: row.load_balancer_id,
    name: row.name,
    description: row.description,
    adminStateUp: fromBool(row.admin_state_up),
    provisioningStatus: row.provisioning_status as ProvisioningStatus,
    operatingStatus: row.operating_status as OperatingStatus,
    protocol: row.protocol,
    protocolPort: Number(row.protocol_port),
    connectionLimit: Number(row.connection_limit),
    defaultPoolId: row.default_pool_id,
    defaultTlsContainerRef: row.default_tls_container_ref,
    sniContainerRefs: fromJson<string[]>(row.sni_container_refs, []),
    insertHeaders: fromJson<Record<string, string> | null>(row.insert_headers, null),
    timeoutClientData: Number(row.timeout_client_data ?? DEFAULT_TIMEOUTS.clientData),
    timeoutMemberConnect: Number(row.timeout_member_connect ?? DEFAULT_TIMEOUTS.memberConnect),
    timeoutMemberData: Number(row.timeout_member_data ?? DEFAULT_TIMEOUTS.memberData),
    timeoutTcpInspect: Number(row.timeout_tcp_inspect ?? DEFAULT_TIMEOUTS.tcpInspect),
    clientCaTlsContainerRef: row.client_ca_tls_container_ref,
    clientAuthentication: row.client_authentication,
    clientCrlContainerRef: row.client_crl_container_ref,
    allowedCidrs: fromJson<string[]>(row.allowed_cidrs, []),
    tlsCiphers: row.tls_ciphers,
    tlsVersions: fromJson<string[] | null>(row.tls_versions, null),
    alpnProtocols: fromJson<string[] | null>(row.alpn_protocols, null),
    hstsMaxAge: row.hsts_max_age === null ? null : Number(row.hsts_max_age),
    // Octavia's listener controller answers false for a null flag (_set_default_on_none).
    hstsIncludeSubdomains: row.hsts_include_subdomains !== null && fromBool(row.hsts_include_subdomains),
    hstsPreload: row.hsts_preload !== null && fromBool(row.hsts_preload),
    tlsCertificates:
      row.tls_certificates === null ? null : fromJson<CertificateFacts[]>(row.tls_certificates, []),
    tags: fromJson<string[]>(row.tags, []),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    l7PolicyIds,
  };
}
