// Finds LBaaS v1 records for a caller, Neutron-style (identity-networking-v1.md §3): an admin sees every
// project's, anyone else their own; what the caller cannot see is "not found" (404 with Neutron's type).
import { SluiceError } from '../../errors.ts';
import type { AuthContext } from '../../identity/auth-context.ts';
import type { V1HealthMonitor, V1Member, V1Pool, V1Vip } from '../../model/lbaas-v1.ts';
import type { Db } from '../../store/database.ts';
import { getV1Member, getV1Monitor, getV1Pool } from '../../store/repositories/lbaas-v1-repository.ts';
import { getV1Vip } from '../../store/repositories/lbaas-v1-vip-repository.ts';
import { owns } from '../neutron/neutron-policy.ts';

const notFound = (kind: string, type: string, id: string) =>
  new SluiceError('network.not-found', { kind, id }, type);

export const poolNotFound = (id: string) => notFound('Pool', 'PoolNotFound', id);
export const memberNotFound = (id: string) => notFound('Member', 'MemberNotFound', id);
export const vipNotFound = (id: string) => notFound('Vip', 'VipNotFound', id);
export const monitorNotFound = (id: string) => notFound('Health_monitor', 'HealthMonitorNotFound', id);

async function visible<T extends { projectId: string }>(
  auth: AuthContext,
  found: T | undefined,
  missing: SluiceError,
): Promise<T> {
  if (!found || !owns(auth, found.projectId)) throw missing;
  return found;
}

export const lookupPool = async (db: Db, auth: AuthContext, id: string): Promise<V1Pool> =>
  visible(auth, await getV1Pool(db, id), poolNotFound(id));
export const lookupMember = async (db: Db, auth: AuthContext, id: string): Promise<V1Member> =>
  visible(auth, await getV1Member(db, id), memberNotFound(id));
export const lookupVip = async (db: Db, auth: AuthContext, id: string): Promise<V1Vip> =>
  visible(auth, await getV1Vip(db, id), vipNotFound(id));
export const lookupMonitor = async (db: Db, auth: AuthContext, id: string): Promise<V1HealthMonitor> =>
  visible(auth, await getV1Monitor(db, id), monitorNotFound(id));

export const conflict = (detail: string, type: string) =>
  new SluiceError('network.conflict', { detail }, type);
export const badRequest = (detail: string, type = 'BadRequest') =>
  new SluiceError('network.http-bad-request', { detail }, type);

/** The id in a route's params. */
export const idParam = (params: unknown, key = 'id'): string => (params as Record<string, string>)[key];
