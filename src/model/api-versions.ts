// The load-balancer API versions Sluice lists at `GET /` (reference §1.2). A version is listed only when
// every feature it introduced works here (issue #3); the newest listed is CURRENT, the others SUPPORTED.

export type ApiVersion = Readonly<{ id: string; updated: string; feature: string }>;

/** Octavia's minor versions up to master (2.30), with their `updated` dates and what each introduced. */
export const LOAD_BALANCER_API_VERSIONS: readonly ApiVersion[] = [
  { id: 'v2.0', updated: '2016-12-11T00:00:00Z', feature: 'base API' },
  { id: 'v2.1', updated: '2018-04-20T00:00:00Z', feature: 'provider field' },
  { id: 'v2.2', updated: '2018-07-31T00:00:00Z', feature: 'listener timeouts' },
  { id: 'v2.3', updated: '2018-12-18T00:00:00Z', feature: 'providers API' },
  { id: 'v2.4', updated: '2018-12-19T00:00:00Z', feature: 'amphora stats' },
  { id: 'v2.5', updated: '2019-01-21T00:00:00Z', feature: 'tags' },
  { id: 'v2.6', updated: '2019-01-25T00:00:00Z', feature: 'flavors' },
  { id: 'v2.7', updated: '2018-01-25T12:00:00Z', feature: 'amphora config update' },
  { id: 'v2.8', updated: '2019-02-12T00:00:00Z', feature: 'TLS client authentication' },
  { id: 'v2.9', updated: '2019-03-04T00:00:00Z', feature: 'L7 redirect HTTP code' },
  { id: 'v2.10', updated: '2019-03-05T00:00:00Z', feature: 'health monitor host header' },
  { id: 'v2.11', updated: '2019-06-24T00:00:00Z', feature: 'additive batch member update' },
  { id: 'v2.12', updated: '2019-09-11T00:00:00Z', feature: 'VIP access control (allowed_cidrs)' },
  { id: 'v2.13', updated: '2019-09-13T00:00:00Z', feature: 'SOURCE_IP_PORT' },
  { id: 'v2.14', updated: '2019-11-10T00:00:00Z', feature: 'availability zones' },
  { id: 'v2.15', updated: '2020-03-10T00:00:00Z', feature: 'TLS ciphers' },
  { id: 'v2.16', updated: '2020-03-15T00:00:00Z', feature: 'HTTP/TCP monitors on UDP pools' },
  { id: 'v2.17', updated: '2020-04-29T00:00:00Z', feature: 'listener tls_versions' },
  { id: 'v2.18', updated: '2020-04-29T01:00:00Z', feature: 'pool tls_versions' },
  { id: 'v2.19', updated: '2020-05-12T00:00:00Z', feature: 'L7 policy and rule quotas' },
  { id: 'v2.20', updated: '2020-08-02T00:00:00Z', feature: 'listener ALPN' },
  { id: 'v2.21', updated: '2020-09-03T00:00:00Z', feature: 'amphora delete' },
  { id: 'v2.22', updated: '2020-09-04T00:00:00Z', feature: 'PROXYV2 pools' },
  { id: 'v2.23', updated: '2020-09-07T00:00:00Z', feature: 'SCTP' },
  { id: 'v2.24', updated: '2020-10-15T00:00:00Z', feature: 'pool ALPN' },
  { id: 'v2.25', updated: '2021-10-02T00:00:00Z', feature: 'PROMETHEUS listeners' },
  { id: 'v2.26', updated: '2022-08-29T00:00:00Z', feature: 'additional VIPs' },
  // Octavia master's root_controller.py after 2.26 (https://opendev.org/openstack/octavia/src/branch/master/octavia/api/root_controller.py)
  { id: 'v2.27', updated: '2023-05-05T00:00:00Z', feature: 'HTTP Strict Transport Security (HSTS)' },
  { id: 'v2.28', updated: '2023-11-08T00:00:00Z', feature: 'VIP port vnic_type' },
  { id: 'v2.29', updated: '2024-10-15T00:00:00Z', feature: 'VIP security groups (vip_sg_ids)' },
  { id: 'v2.30', updated: '2025-02-26T00:00:00Z', feature: 'member port SR-IOV (request_sriov, vnic_type)' },
];

/** The newest version whose features (and every earlier one's) all work. */
export const NEWEST_IMPLEMENTED = 'v2.30';

export function versionDocument(baseUrl: string): { versions: Record<string, unknown>[] } {
  const last = LOAD_BALANCER_API_VERSIONS.findIndex((v) => v.id === NEWEST_IMPLEMENTED);
  return {
    versions: LOAD_BALANCER_API_VERSIONS.slice(0, last + 1).map((version, i) => ({
      id: version.id,
      status: i === last ? 'CURRENT' : 'SUPPORTED',
      updated: version.updated,
      links: [{ href: `${baseUrl}/v2`, rel: 'self' }],
    })),
  };
}
