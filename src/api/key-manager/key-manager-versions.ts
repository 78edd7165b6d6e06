// Barbican's version documents (barbican/api/controllers/versions.py): asked for at microversion 1.0 (or
// with no header) the `{"versions": {"values": [...]}}` form with status `stable`; above it the
// microversion form with min_version/max_version, which barbicanclient and keystoneauth read.
import { MAX_VERSION, MIN_VERSION } from './key-manager-http.ts';

export function versionInfo(base: string, microversions: boolean): Record<string, unknown> {
  const links = [
    { rel: 'self', href: `${base}/v1/` },
    { rel: 'describedby', type: 'text/html', href: 'https://docs.openstack.org/' },
  ];
  if (microversions)
    return { id: 'v1', status: 'CURRENT', min_version: MIN_VERSION, max_version: MAX_VERSION, links };
  return {
    id: 'v1',
    status: 'stable',
    links,
    'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.key-manager-v1+json' }],
  };
}

/** GET / answers 300 Multiple Choices: "we are returning all the versions available". */
export function versionList(base: string, microversions: boolean): Record<string, unknown> {
  const info = versionInfo(base, microversions);
  return microversions ? { versions: [info] } : { versions: { values: [info] } };
}
