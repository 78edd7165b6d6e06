// The compute (Nova) version documents: `GET /compute/` lists v2.1, `GET /compute/v2.1` describes it.
// Shapes from Nova's own views (nova/api/openstack/compute/views/versions.py and nova/api/openstack/
// api_version_request.py, https://opendev.org/openstack/nova): `version` is the highest microversion.

/**
 * The microversion range Sluice answers. 2.96 is the highest microversion of Nova 2024.1 (Caracal),
 * see the REST API version history: https://docs.openstack.org/nova/latest/reference/api-microversion-history.html
 * Every route here answers an empty collection or a 404, whose bodies are the same at every microversion
 * from 2.1 to 2.96, so claiming the whole range is truthful and lets clients negotiate freely.
 */
export const COMPUTE_MIN_VERSION = '2.1';
export const COMPUTE_MAX_VERSION = '2.96';

/** Nova's fixed "updated" stamp of the v2.1 API (views/versions.py, VERSIONS['v2.1']). */
const V21_UPDATED = '2013-07-23T11:33:21Z';

const V21 = {
  id: 'v2.1',
  status: 'CURRENT',
  version: COMPUTE_MAX_VERSION,
  min_version: COMPUTE_MIN_VERSION,
  updated: V21_UPDATED,
} as const;

/** `GET /compute/`: the version list (Nova also lists a SUPPORTED v2.0, which Sluice does not serve). */
export function computeVersions(computeUrl: string) {
  return { versions: [{ ...V21, links: [{ rel: 'self', href: `${computeUrl}/v2.1/` }] }] };
}

/** `GET /compute/v2.1`: the one version, with Nova's describedby link and media type. */
export function computeVersion(computeUrl: string) {
  return {
    version: {
      ...V21,
      links: [
        { rel: 'self', href: `${computeUrl}/v2.1/` },
        { rel: 'describedby', type: 'text/html', href: 'http://docs.openstack.org/' },
      ],
      'media-types': [
        { base: 'application/json', type: 'application/vnd.openstack.compute+json;version=2.1' },
      ],
    },
  };
}
