// Wire mapping for listeners (reference §4.1): the common child fields plus Octavia's listener quirks —
// `loadbalancers: [{id}]` instead of loadbalancer_id, `allowed_cidrs` null when empty, L7 policies as
// `[{id}]` in position order — and two Sluice extension fields (like the load balancer's
// provisioning_status_reason): `tls_certificates`, the facts of its server certificates, and
// `operating_status_reason`, which says when one expires within 14 days or has expired (read-time clock).
import { type CertificateFacts, expiryReason } from '../../../model/certificate-facts.ts';
import type { Listener } from '../../../model/listener.ts';
import type { FilterField, WireObject } from '../../wire/listing.ts';
import { firstRefId, modelFields } from '../filter-fields.ts';
import { commonWire, idRefs } from '../octavia-wire.ts';
import { COMMON_COLUMNS, type SqlColumns, sqlText } from '../sql-page-spec.ts';

const certificateToWire = (f: CertificateFacts): WireObject => ({
  ref: f.ref,
  role: f.role,
  subject: f.subject,
  subject_alt_names: [...f.subjectAltNames],
  not_after: f.notAfter,
});

export function listenerToWire(l: Listener): WireObject {
  const certificates = l.tlsCertificates ?? [];
  return {
    ...commonWire(l),
    description: l.description ?? '',
    protocol: l.protocol,
    protocol_port: l.protocolPort,
    connection_limit: l.connectionLimit,
    default_tls_container_ref: l.defaultTlsContainerRef,
    sni_container_refs: [...l.sniContainerRefs],
    default_pool_id: l.defaultPoolId,
    l7policies: idRefs(l.l7PolicyIds),
    insert_headers: l.insertHeaders && { ...l.insertHeaders },
    loadbalancers: idRefs([l.loadBalancerId]),
    timeout_client_data: l.timeoutClientData,
    timeout_member_connect: l.timeoutMemberConnect,
    timeout_member_data: l.timeoutMemberData,
    timeout_tcp_inspect: l.timeoutTcpInspect,
    client_ca_tls_container_ref: l.clientCaTlsContainerRef,
    client_authentication: l.clientAuthentication,
    client_crl_container_ref: l.clientCrlContainerRef,
    allowed_cidrs: l.allowedCidrs.length > 0 ? [...l.allowedCidrs] : null,
    tls_ciphers: l.tlsCiphers,
    tls_versions: l.tlsVersions && [...l.tlsVersions],
    alpn_protocols: l.alpnProtocols && [...l.alpnProtocols],
    hsts_max_age: l.hstsMaxAge,
    hsts_include_subdomains: l.hstsIncludeSubdomains,
    hsts_preload: l.hstsPreload,
    tls_certificates: certificates.map(certificateToWire),
    operating_status_reason: expiryReason(certificates, new Date()),
  };
}

/** Attributes a list may sort on: the scalar wire fields. */
export const LISTENER_ATTRIBUTES = [
  'id',
  'name',
  'description',
  'provisioning_status',
  'operating_status',
  'admin_state_up',
  'project_id',
  'tenant_id',
  'created_at',
  'updated_at',
  'protocol',
  'protocol_port',
  'connection_limit',
  'default_tls_container_ref',
  'default_pool_id',
  'timeout_client_data',
  'timeout_member_connect',
  'timeout_member_data',
  'timeout_tcp_inspect',
  'client_ca_tls_container_ref',
  'client_authentication',
  'client_crl_container_ref',
  'tls_ciphers',
  'hsts_max_age',
  'hsts_include_subdomains',
  'hsts_preload',
] as const;

/** Filter keys of the list: the data model's fields under their API and database names (reference §1.4). */
export const LISTENER_FILTERS: Readonly<Record<string, FilterField>> = {
  ...modelFields(LISTENER_ATTRIBUTES),
  tls_certificate_id: 'default_tls_container_ref',
  client_ca_tls_certificate_id: 'client_ca_tls_container_ref',
  client_crl_container_id: 'client_crl_container_ref',
  load_balancer_id: firstRefId('loadbalancers'),
  loadbalancer_id: firstRefId('loadbalancers'),
};

/**
 * The wire keys a list page reads straight from a column (sql-page-spec.ts). The timeouts (a default
 * stands in for NULL) and the HSTS fields (NULL shows as false) have none.
 */
export const LISTENER_COLUMNS: SqlColumns = {
  ...COMMON_COLUMNS,
  protocol: sqlText('protocol'),
  protocol_port: { column: 'protocol_port', kind: 'int' },
  connection_limit: { column: 'connection_limit', kind: 'int' },
  default_pool_id: sqlText('default_pool_id', { nullable: true }),
  default_tls_container_ref: sqlText('default_tls_container_ref', { nullable: true }),
  tls_certificate_id: sqlText('default_tls_container_ref', { nullable: true }),
  client_ca_tls_container_ref: sqlText('client_ca_tls_container_ref', { nullable: true }),
  client_ca_tls_certificate_id: sqlText('client_ca_tls_container_ref', { nullable: true }),
  client_authentication: sqlText('client_authentication'),
  client_crl_container_ref: sqlText('client_crl_container_ref', { nullable: true }),
  client_crl_container_id: sqlText('client_crl_container_ref', { nullable: true }),
  tls_ciphers: sqlText('tls_ciphers', { nullable: true }),
  load_balancer_id: sqlText('load_balancer_id'),
  loadbalancer_id: sqlText('load_balancer_id'),
};
