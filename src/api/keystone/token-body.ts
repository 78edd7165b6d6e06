// The token body of POST/GET /v3/auth/tokens (reference §1.2) and the service catalog: identity,
// load-balancer, network, compute and key-manager, each on the public, internal and admin interfaces in RegionOne.
import { createHash } from 'node:crypto';
import type { TokenInfo } from '../../identity/identity-types.ts';

const REGION = 'RegionOne';
const INTERFACES = ['public', 'internal', 'admin'] as const;
const SERVICES = [
  { type: 'identity', name: 'keystone', path: '/identity' },
  { type: 'load-balancer', name: 'octavia', path: '/load-balancer' },
  { type: 'network', name: 'neutron', path: '/networking' },
  // Nova's catalog URL names its version, as devstack registers it (`/compute/v2.1`).
  { type: 'compute', name: 'nova', path: '/compute/v2.1' },
  // Barbican's catalog URL is unversioned; barbicanclient appends /v1 after version discovery.
  { type: 'key-manager', name: 'barbican', path: '/key-manager' },
] as const;

/** Keystone's timestamps carry microseconds: `2026-11-23T10:00:00.000000Z`. */
export function keystoneTime(iso: string): string {
  return new Date(iso).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** Stable ids, so the catalog is the same on every token and every replica. */
const stableId = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 32);

export type CatalogEntry = Readonly<{
  type: string;
  name: string;
  id: string;
  endpoints: readonly Readonly<Record<string, string>>[];
}>;

export function serviceCatalog(publicUrl: string): CatalogEntry[] {
  return SERVICES.map((service) => ({
    type: service.type,
    name: service.name,
    id: stableId(`service:${service.type}`),
    endpoints: INTERFACES.map((iface) => ({
      id: stableId(`endpoint:${service.type}:${iface}`),
      interface: iface,
      region: REGION,
      region_id: REGION,
      url: `${publicUrl}${service.path}`,
    })),
  }));
}

const ref = (value: { id: string; name: string }) => ({ id: value.id, name: value.name });

/** `{"token": …}`; unscoped tokens carry neither roles nor catalog, like Keystone's. */
export function tokenBody(
  info: TokenInfo,
  publicUrl: string,
  withCatalog: boolean,
): { token: Record<string, unknown> } {
  const token: Record<string, unknown> = {
    methods: info.methods,
    expires_at: keystoneTime(info.expiresAt),
    issued_at: keystoneTime(info.issuedAt),
    audit_ids: [info.auditId],
    user: { ...ref(info.user), domain: ref(info.user.domain), password_expires_at: null },
  };
  if (info.project) token.project = { ...ref(info.project), domain: ref(info.project.domain) };
  if (info.system) token.system = { all: true };
  if (info.project || info.system) {
    token.roles = info.roles.map(ref);
    if (withCatalog) token.catalog = serviceCatalog(publicUrl);
  }
  return { token };
}
