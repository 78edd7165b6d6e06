// Reads one load balancer and all its children into the DesiredLoadBalancer document a provider applies.
// Objects pending deletion are left out: the data plane must stop serving them (reference §12.3).
// With a secret store, TLS refs are resolved into PEM material (tls-resolution.ts); a failure throws.
import {
  DEFAULT_ALPN_PROTOCOLS,
  DEFAULT_TIMEOUTS,
  DEFAULT_TLS_VERSIONS,
  type DesiredLoadBalancer,
  type Topology,
} from '../../model/desired-state.ts';
import type { SecurityGroupRule } from '../../model/security-group.ts';
import { admittedSources } from '../../model/security-group-sources.ts';
import type { Hsts } from '../../model/tls-material.ts';
import type { SecretReaders } from '../../tls/secret-reader.ts';
import { fromBool, fromJson } from '../codec.ts';
import type { Db } from '../database.ts';
import { floatingAddressesOfPort } from './floating-ip-repository.ts';
import { scopedRows } from './scoped-rows.ts';
import { rulesOfGroups } from './security-group-repository.ts';
import { addressesOfGroupPorts } from './security-group-users.ts';
import { listenerTlsRefs, poolTlsRefs, resolveListenerTls, resolvePoolTls } from './tls-resolution.ts';

export type DesiredStateOptions = Readonly<{
  /** the secret store TLS refs resolve through; absent: `material` stays null (no secret store) */
  secrets?: SecretReaders;
  /**
   * What a ref that does not resolve does: `throw` (the default: the change fails with that reason), or
   * `omit` (its material stays null and the rest of the document is served: the agent protocol's answer,
   * where one listener's deleted secret must not hide every other load balancer from the agent).
   */
  unresolved?: 'throw' | 'omit';
  /**
   * false: every pool's `members` is empty and no member row is read (the API's 501 check, which judges
   * options and no member carries one: reading a 10,000-member pool for it doubled a batch update, issue #18)
   */
  members?: boolean;
}>;

/** HSTS of a TERMINATED_HTTPS listener with hsts_max_age set (a null flag counts as false). */
function hstsOf(row: {
  protocol: string;
  hsts_max_age: number | null;
  hsts_include_subdomains: number | null;
  hsts_preload: number | null;
}): Hsts | null {
  if (row.protocol !== 'TERMINATED_HTTPS' || row.hsts_max_age === null) return null;
  return {
    maxAge: Number(row.hsts_max_age),
    includeSubdomains: row.hsts_include_subdomains !== null && fromBool(row.hsts_include_subdomains),
    preload: row.hsts_preload !== null && fromBool(row.hsts_preload),
  };
}

export async function loadDesiredState(
  db: Db,
  loadBalancerId: string,
  options: DesiredStateOptions = {},
): Promise<DesiredLoadBalancer | undefined> {
  const lb = await db
    .selectFrom('load_balancers')
    .selectAll()
    .where('id', '=', loadBalancerId)
    .executeTakeFirst();
  if (!lb) return undefined;
  const live = { loadBalancerId, live: true };
  const [listeners, pools, members, monitors, policies, rules] = await Promise.all([
    scopedRows(db, 'listeners', live),
    scopedRows(db, 'pools', live),
    options.members === false ? [] : scopedRows(db, 'members', live),
    scopedRows(db, 'health_monitors', live),
    scopedRows(db, 'l7policies', live, 'position'),
    scopedRows(db, 'l7rules', live),
  ]);
  // With VIP security groups their ingress rules decide who reaches each listener, not allowed_cidrs (API 2.29).
  const sgIds = fromJson<string[]>(lb.vip_sg_ids, []);
  const sgRules: SecurityGroupRule[] | null =
    sgIds.length > 0 ? [...(await rulesOfGroups(db, sgIds)).values()].flat() : null;
  const groupAddresses = sgRules
    ? await addressesOfGroupPorts(
        db,
        sgRules.flatMap((r) => (r.remoteGroupId === null ? [] : [r.remoteGroupId])),
      )
    : new Map<string, string[]>();
  const admitted = (protocol: string, protocolPort: number, stored: string | null) => {
    if (sgRules) return admittedSources(sgRules, { protocol, protocolPort }, groupAddresses);
    const cidrs = fromJson<string[]>(stored, []);
    return cidrs.length > 0 ? cidrs : null;
  };
  // Without a secret store every material stays null (refs are not resolved).
  const { secrets } = options;
  const lenient = options.unresolved === 'omit';
  const resolveAll = <T, R>(rows: readonly T[], resolve: (readers: SecretReaders, row: T) => Promise<R>) =>
    Promise.all(
      rows.map((row) => {
        if (!secrets) return null;
        const material = resolve(secrets, row);
        return lenient ? material.catch(() => null) : material;
      }),
    );
  const listenerMaterial = await resolveAll(listeners, (readers, l) =>
    resolveListenerTls(readers, listenerTlsRefs(l)),
  );
  const poolMaterial = await resolveAll(pools, (readers, p) => resolvePoolTls(readers, poolTlsRefs(p)));
  return {
    id: lb.id,
    revision: Number(lb.revision),
    adminStateUp: fromBool(lb.admin_state_up),
    topology: lb.topology as Topology,
    vip: {
      address: lb.vip_address ?? '',
      networkId: lb.vip_network_id ?? '',
      subnetId: lb.vip_subnet_id ?? '',
      portId: lb.vip_port_id ?? '',
      // Additional VIPs, then every floating IP associated with the VIP port (identity-networking-v1.md §2).
      additional: [
        ...fromJson<{ subnetId: string; address: string }[]>(lb.additional_vips, []),
        ...(await floatingAddressesOfPort(db, lb.vip_port_id)),
      ],
    },
    listeners: listeners.map((l, index) => ({
      id: l.id,
      protocol: l.protocol,
      protocolPort: l.protocol_port,
      adminStateUp: fromBool(l.admin_state_up),
      connectionLimit: l.connection_limit,
      defaultPoolId: l.default_pool_id,
      timeouts: {
        clientData: l.timeout_client_data ?? DEFAULT_TIMEOUTS.clientData,
        memberConnect: l.timeout_member_connect ?? DEFAULT_TIMEOUTS.memberConnect,
        memberData: l.timeout_member_data ?? DEFAULT_TIMEOUTS.memberData,
        tcpInspect: l.timeout_tcp_inspect ?? DEFAULT_TIMEOUTS.tcpInspect,
      },
      insertHeaders: fromJson<Record<string, string>>(l.insert_headers, {}),
      allowedCidrs: admitted(l.protocol, l.protocol_port, l.allowed_cidrs),
      tls: {
        defaultContainerRef: l.default_tls_container_ref,
        sniContainerRefs: fromJson<string[]>(l.sni_container_refs, []),
        clientCaContainerRef: l.client_ca_tls_container_ref,
        clientAuthentication: l.client_authentication,
        clientCrlContainerRef: l.client_crl_container_ref,
        ciphers: l.tls_ciphers,
        versions: fromJson<string[]>(l.tls_versions, [...DEFAULT_TLS_VERSIONS]),
        alpnProtocols: fromJson<string[]>(l.alpn_protocols, [...DEFAULT_ALPN_PROTOCOLS]),
        material: listenerMaterial[index],
        hsts: hstsOf(l),
      },
      l7policies: policies
        .filter((p) => p.listener_id === l.id)
        .map((p) => ({
          id: p.id,
          action: p.action,
          position: p.position,
          adminStateUp: fromBool(p.admin_state_up),
          redirectPoolId: p.redirect_pool_id,
          redirectUrl: p.redirect_url,
          redirectPrefix: p.redirect_prefix,
          redirectHttpCode: p.redirect_http_code,
          rules: rules
            .filter((r) => r.l7policy_id === p.id)
            .map((r) => ({
              id: r.id,
              type: r.type,
              compareType: r.compare_type,
              key: r.key,
              value: r.value,
              invert: fromBool(r.invert),
              adminStateUp: fromBool(r.admin_state_up),
            })),
        })),
    })),
    pools: pools.map((p, index) => {
      const monitor = monitors.find((m) => m.pool_id === p.id);
      const persistence = fromJson<Record<string, string | number | null> | null>(
        p.session_persistence,
        null,
      );
      const tlsEnabled = fromBool(p.tls_enabled);
      return {
        id: p.id,
        protocol: p.protocol,
        lbAlgorithm: p.lb_algorithm,
        adminStateUp: fromBool(p.admin_state_up),
        sessionPersistence: persistence && {
          type: String(persistence.type),
          cookieName: (persistence.cookie_name as string | null) ?? null,
          persistenceTimeout: (persistence.persistence_timeout as number | null) ?? null,
          persistenceGranularity: (persistence.persistence_granularity as string | null) ?? null,
        },
        tls: {
          enabled: tlsEnabled,
          containerRef: p.tls_container_ref,
          caContainerRef: p.ca_tls_container_ref,
          crlContainerRef: p.crl_container_ref,
          ciphers: p.tls_ciphers,
          versions: fromJson<string[]>(p.tls_versions, tlsEnabled ? [...DEFAULT_TLS_VERSIONS] : []),
          alpnProtocols: fromJson<string[]>(p.alpn_protocols, tlsEnabled ? [...DEFAULT_ALPN_PROTOCOLS] : []),
          material: poolMaterial[index],
        },
        members: members
          .filter((m) => m.pool_id === p.id)
          .map((m) => ({
            id: m.id,
            address: m.address,
            protocolPort: m.protocol_port,
            weight: m.weight,
            backup: fromBool(m.backup),
            adminStateUp: fromBool(m.admin_state_up),
            monitorAddress: m.monitor_address,
            monitorPort: m.monitor_port,
            subnetId: m.subnet_id,
          })),
        healthMonitor: monitor
          ? {
              id: monitor.id,
              type: monitor.type,
              delay: monitor.delay,
              timeout: monitor.timeout,
              maxRetries: monitor.max_retries,
              maxRetriesDown: monitor.max_retries_down,
              httpMethod: monitor.http_method,
              urlPath: monitor.url_path,
              expectedCodes: monitor.expected_codes,
              httpVersion: monitor.http_version === null ? null : Number(monitor.http_version),
              domainName: monitor.domain_name,
              adminStateUp: fromBool(monitor.admin_state_up),
            }
          : null,
      };
    }),
  };
}
