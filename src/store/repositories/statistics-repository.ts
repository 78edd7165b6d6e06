// Traffic counters as data planes report them, one row per listener per amphora, summed for a listener or
// a whole load balancer (reference §3.4, §4.5). active_connections only counts rows of amphorae that are
// ALLOCATED, or rows a provider reports without an amphora (amphora id = listener id).
import { sql } from 'kysely';
import type { Db } from '../database.ts';

export type Statistics = {
  bytes_in: number;
  bytes_out: number;
  active_connections: number;
  total_connections: number;
  request_errors: number;
};

export async function sumStatistics(
  db: Db,
  scope: { loadBalancerId: string } | { listenerId: string },
): Promise<Statistics> {
  let query = db
    .selectFrom('listener_statistics as s')
    .innerJoin('listeners as l', 'l.id', 's.listener_id')
    .leftJoin('amphorae as a', 'a.id', 's.amphora_id')
    .select([
      sql<string>`coalesce(sum(s.bytes_in), 0)`.as('bytes_in'),
      sql<string>`coalesce(sum(s.bytes_out), 0)`.as('bytes_out'),
      sql<string>`coalesce(sum(case when a.status = 'ALLOCATED' or s.amphora_id = s.listener_id then s.active_connections else 0 end), 0)`.as(
        'active_connections',
      ),
      sql<string>`coalesce(sum(s.total_connections), 0)`.as('total_connections'),
      sql<string>`coalesce(sum(s.request_errors), 0)`.as('request_errors'),
    ]);
  query =
    'loadBalancerId' in scope
      ? query.where('l.load_balancer_id', '=', scope.loadBalancerId)
      : query.where('s.listener_id', '=', scope.listenerId);
  const row = await query.executeTakeFirstOrThrow();
  return {
    bytes_in: Number(row.bytes_in),
    bytes_out: Number(row.bytes_out),
    active_connections: Number(row.active_connections),
    total_connections: Number(row.total_connections),
    request_errors: Number(row.request_errors),
  };
}
