// The compute microversion of a request: `OpenStack-API-Version: compute X.Y` (or the legacy
// `X-OpenStack-Nova-API-Version: X.Y`), 2.1 when absent, `latest` = the maximum; as Nova's
// nova/api/openstack/wsgi.py (Request.set_api_version_request) and api_version_request.py decide it.
import { SluiceError } from '../../errors.ts';
import { COMPUTE_MAX_VERSION, COMPUTE_MIN_VERSION } from './compute-versions.ts';

type Headers = Readonly<Record<string, string | string[] | undefined>>;

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value.join(',') : value);

/** The `compute` entry of `OpenStack-API-Version` (comma-separated `service version` pairs), if any. */
function requestedVersion(headers: Headers): string | undefined {
  const modern = first(headers['openstack-api-version']);
  if (modern !== undefined) {
    for (const item of modern.split(',')) {
      const [service, version] = item.trim().split(/\s+/, 2);
      if (service?.toLowerCase() === 'compute') return version ?? '';
    }
  }
  return first(headers['x-openstack-nova-api-version'])?.trim();
}

const parse = (version: string): [number, number] | null => {
  const match = /^([1-9]\d*)\.([1-9]\d*|0)$/.exec(version);
  return match ? [Number(match[1]), Number(match[2])] : null;
};

const compare = (a: [number, number], b: [number, number]) => a[0] - b[0] || a[1] - b[1];

/** The microversion to answer with, or a SluiceError (400 malformed, 406 outside the range). */
export function negotiateMicroversion(headers: Headers): string {
  const requested = requestedVersion(headers);
  if (requested === undefined) return COMPUTE_MIN_VERSION;
  if (requested.toLowerCase() === 'latest') return COMPUTE_MAX_VERSION;
  const version = parse(requested);
  if (!version) throw new SluiceError('compute.invalid-version', { version: requested });
  const min = parse(COMPUTE_MIN_VERSION) as [number, number];
  const max = parse(COMPUTE_MAX_VERSION) as [number, number];
  if (compare(version, min) < 0 || compare(version, max) > 0) {
    throw new SluiceError('compute.unsupported-version', {
      version: requested,
      min: COMPUTE_MIN_VERSION,
      max: COMPUTE_MAX_VERSION,
    });
  }
  return `${version[0]}.${version[1]}`;
}
