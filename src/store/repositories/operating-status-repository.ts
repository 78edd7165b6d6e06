// Reads what the operating-status roll-up needs and writes its outcome: statuses only where they changed
// (reference §11.2, "objects only change when the computed value differs"), and the data plane's listener
// counters as the load balancer's placement row (reference §4.5). Each status change is recorded as a status
// event naming who reported it.
import type { StatusInputs, StatusOutcome } from '../../model/operating-status.ts';
import type { ProviderReport } from '../../model/provider-driver.ts';
import { fromBool } from '../codec.ts';
import { type Db, inTransaction } from '../database.ts';
import { idIn, idRuns } from '../statement-runs.ts';
import { RESOURCE_TYPES, recordStatusChanges } from './status-event-repository.ts';

export async function loadStatusInputs(db: Db, loadBalancerId: string): Promise<StatusInputs | undefined> {
  const lb = await db
    .selectFrom('load_balancers')
    .select(['admin_state_up', 'provisioning_status'])
    .where('id', '=', loadBalancerId)
    .executeTakeFirst();
  if (!lb) return undefined;
  const [listeners, pools, members] = await Promise.all([
    db
      .selectFrom('listeners')
      .select(['id', 'admin_state_up'])
      .where('load_balancer_id', '=', loadBalancerId)
      .execute(),
    db.selectFrom('pools').select('id').where('load_balancer_id', '=', loadBalancerId).execute(),
    db
      .selectFrom('members')
      .select(['id', 'pool_id', 'operating_status'])
      .where('load_balancer_id', '=', loadBalancerId)
      .execute(),
  ]);
  return {
    loadBalancer: { adminStateUp: fromBool(lb.admin_state_up), provisioningStatus: lb.provisioning_status },
    listeners: listeners.map((l) => ({ id: l.id, adminStateUp: fromBool(l.admin_state_up) })),
    pools,
    members: members.map((m) => ({ id: m.id, poolId: m.pool_id, operatingStatus: m.operating_status })),
  };
}

/** Sets only the load balancer's operating status (where it differs); `reason` says why, for its event. */
export async function setLoadBalancerOperatingStatus(
  db: Db,
  id: string,
  status: string,
  reason: string,
): Promise<void> {
  await inTransaction(db, async (trx) => {
    await recordStatusChanges(trx, 'load_balancers', 'operating_status', status, { ids: [id] }, reason);
    await trx
      .updateTable('load_balancers')
      .set({ operating_status: status })
      .where('id', '=', id)
      .where('operating_status', '!=', status)
      .execute();
  });
}

/** Writes a roll-up's statuses where they differ, each change with its event, in one transaction. */
export async function writeOperatingStatuses(
  db: Db,
  loadBalancerId: string,
  outcome: StatusOutcome,
  /** who observed it, for the status events: `agent <name>`, `provider <name>` */
  source: string,
): Promise<void> {
  const reported = (table: keyof typeof RESOURCE_TYPES, status: string) =>
    `${source} reported ${RESOURCE_TYPES[table]} ${(table === 'members' && MEMBER_CHECKS[status]) || status}`;
  await inTransaction(db, async (trx) => {
    const lbStatus = outcome.loadBalancer;
    await setLoadBalancerOperatingStatus(trx, loadBalancerId, lbStatus, reported('load_balancers', lbStatus));
    const tables = [
      ['listeners', outcome.listeners],
      ['pools', outcome.pools],
      ['members', outcome.members],
    ] as const;
    for (const [table, statuses] of tables) {
      // One UPDATE per status (and run of ids), not per object: a pool of 10,000 members is a handful of
      // statements per pass, not 10,000 (issue #18).
      const byStatus = new Map<string, string[]>();
      for (const [id, status] of statuses) {
        const ids = byStatus.get(status);
        if (ids) ids.push(id);
        else byStatus.set(status, [id]);
      }
      for (const [status, ids] of byStatus) {
        for (const run of idRuns(trx, ids)) {
          await recordStatusChanges(
            trx,
            table,
            'operating_status',
            status,
            { ids: run },
            reported(table, status),
          );
          await trx
            .updateTable(table)
            .set({ operating_status: status })
            .where(idIn(trx, run))
            .where('operating_status', '!=', status)
            .execute();
        }
      }
    }
  });
}

/** A member's operating status in the words of the health check that gave it (model/operating-status.ts). */
const MEMBER_CHECKS: Readonly<Record<string, string>> = { ONLINE: 'UP', ERROR: 'DOWN', DRAINING: 'DRAIN' };

/**
 * Upserts the reported cumulative counters, one row per listener for the placement that served them (the
 * load balancer's first placement when none is named). Counters of a new data-plane instance (another
 * `epoch`: a restarted agent, or a placement moved to another agent) start at zero, so what the earlier
 * instances counted is kept as a base and added, and stats never go backwards.
 */
export async function writeListenerCounters(
  db: Db,
  loadBalancerId: string,
  report: ProviderReport,
  source: { placementId?: string; epoch?: string } = {},
): Promise<void> {
  const amphoraId =
    source.placementId ??
    (
      await db
        .selectFrom('amphorae')
        .select('id')
        .where('load_balancer_id', '=', loadBalancerId)
        .orderBy('role')
        .executeTakeFirst()
    )?.id;
  const known = new Set(
    (
      await db.selectFrom('listeners').select('id').where('load_balancer_id', '=', loadBalancerId).execute()
    ).map((r) => r.id),
  );
  for (const [listenerId, { counters }] of Object.entries(report.listeners)) {
    if (!known.has(listenerId)) continue;
    // Without a placement row the provider's own row (amphora id = listener id) counts (reference §4.5).
    const key = { listener_id: listenerId, amphora_id: amphoraId ?? listenerId };
    const row = await db
      .selectFrom('listener_statistics')
      .selectAll()
      .where('listener_id', '=', key.listener_id)
      .where('amphora_id', '=', key.amphora_id)
      .executeTakeFirst();
    const newInstance = row !== undefined && source.epoch !== undefined && row.epoch !== source.epoch;
    const base = !row
      ? { in: 0, out: 0, total: 0, errors: 0 }
      : newInstance
        ? {
            in: Number(row.bytes_in),
            out: Number(row.bytes_out),
            total: Number(row.total_connections),
            errors: Number(row.request_errors),
          }
        : {
            in: Number(row.base_bytes_in),
            out: Number(row.base_bytes_out),
            total: Number(row.base_total_connections),
            errors: Number(row.base_request_errors),
          };
    const values = {
      bytes_in: base.in + counters.bytesIn,
      bytes_out: base.out + counters.bytesOut,
      active_connections: counters.activeConnections,
      total_connections: base.total + counters.totalConnections,
      request_errors: base.errors + counters.requestErrors,
      epoch: source.epoch ?? null,
      base_bytes_in: base.in,
      base_bytes_out: base.out,
      base_total_connections: base.total,
      base_request_errors: base.errors,
    };
    // An idle listener reports the same counters every second: nothing to write (each write is a commit).
    const unchanged =
      row !== undefined &&
      !newInstance &&
      Number(row.bytes_in) === values.bytes_in &&
      Number(row.bytes_out) === values.bytes_out &&
      Number(row.active_connections) === values.active_connections &&
      Number(row.total_connections) === values.total_connections &&
      Number(row.request_errors) === values.request_errors &&
      row.epoch === values.epoch;
    if (unchanged) continue;
    await db
      .insertInto('listener_statistics')
      .values({ ...key, ...values })
      .onConflict((oc) => oc.columns(['listener_id', 'amphora_id']).doUpdateSet(values))
      .execute();
  }
}
