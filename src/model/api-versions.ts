// The load-balancer API versions Sluice lists at `GET /`. A version is listed only when every feature it
// introduced works here (issue #3); the newest listed one is CURRENT. Dates are Octavia's (reference §1.2).

export type ApiVersion = Readonly<{ id: string; updated: string }>;

export const LOAD_BALANCER_API_VERSIONS: readonly ApiVersion[] = [
  { id: 'v2.0', updated: '2016-12-11T00:00:00Z' },
];

export function versionDocument(baseUrl: string): { versions: Record<string, unknown>[] } {
  const last = LOAD_BALANCER_API_VERSIONS.length - 1;
  return {
    versions: LOAD_BALANCER_API_VERSIONS.map((version, i) => ({
      id: version.id,
      status: i === last ? 'CURRENT' : 'SUPPORTED',
      updated: version.updated,
      links: [{ href: `${baseUrl}/v2`, rel: 'self' }],
    })),
  };
}
