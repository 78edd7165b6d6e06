// What /metrics reads from the store at each scrape: load balancers counted by status, agents by status, and
// the last observation of every placement an agent serves (its ProviderReport, stored as it came).
import { sql } from 'kysely';
import type { ProviderReport } from '../../model/provider-driver.ts';
import { fromJson } from '../codec.ts';
import type { Db } from '../database.ts';

export type StatusCount = Readonly<{ labels: Readonly<Record<string, string>>; count: number }>;

export async function loadBalancerStatusCounts(db: Db): Promise<StatusCount[]> {
  const rows = await db
    .selectFrom('load_balancers')
    .select(['provisioning_status', 'operating_status', sql<string>`count(*)`.as('n')])
    .where('provisioning_status', '!=', 'DELETED')
    .groupBy(['provisioning_status', 'operating_status'])
    .execute();
  return rows.map((r) => ({
    labels: { provisioning_status: r.provisioning_status, operating_status: r.operating_status },
    count: Number(r.n),
  }));
}

export async function agentStatusCounts(db: Db): Promise<StatusCount[]> {
  const rows = await db
    .selectFrom('agents')
    .select(['status', sql<string>`count(*)`.as('n')])
    .groupBy('status')
    .execute();
  return rows.map((r) => ({ labels: { status: r.status }, count: Number(r.n) }));
}

/** Each live placement's last observation (of one load balancer, or of all), with whose it is. */
export async function placementReports(
  db: Db,
  loadBalancerId?: string,
): Promise<{ loadBalancerId: string; amphoraId: string; report: ProviderReport }[]> {
  let query = db
    .selectFrom('amphorae')
    .select(['id', 'load_balancer_id', 'report'])
    .where('report', 'is not', null)
    .where('status', '!=', 'DELETED');
  query =
    loadBalancerId === undefined
      ? query.where('load_balancer_id', 'is not', null)
      : query.where('load_balancer_id', '=', loadBalancerId);
  const rows = await query.orderBy('load_balancer_id').orderBy('id').execute();
  return rows.map((r) => ({
    loadBalancerId: r.load_balancer_id as string,
    amphoraId: r.id,
    report: fromJson<ProviderReport>(r.report, { listeners: {}, pools: {} }),
  }));
}
