// The agent-facing side of the agent protocol (architecture §1): register, long-poll the desired set, report.
// Agents authenticate with their own bearer token, not Keystone. The long-poll answers as soon as the set of
// assignments or a revision in it changes (woken by the change feed, re-checked every second for changes made
// by other API processes; assignment-index.ts reads only what the feed names in between), or after LONG_POLL_MS with the same etag; with `delta=1` it carries only what changed
// since the set of that etag (desired-snapshots.ts). A report in which keepalived on the agent
// holds the VIPs of a load balancer whose placement there is the BACKUP swaps the two placements' roles.
import type { ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { fail } from '../../errors.ts';
import type { Agent } from '../../model/agent.ts';
import { AGENT_API_PREFIX, type Assignment, LONG_POLL_MS } from '../../model/agent-protocol.ts';
import { VrrpState } from '../../model/vrrp.ts';
import { inTransaction } from '../../store/database.ts';
import { recordAccessLogs } from '../../store/repositories/access-log-repository.ts';
import {
  findAgentByToken,
  recordHeartbeat,
  registerAgent,
} from '../../store/repositories/agent-repository.ts';
import { loadDesiredState } from '../../store/repositories/desired-state-repository.ts';
import {
  assignmentKey,
  recordApplyResults,
  recordObservations,
  takeOverMasterRole,
} from '../../store/repositories/placement-repository.ts';
import type { ApiContext } from '../context.ts';
import { readJson } from '../wire/read-body.ts';
import { parseAgentReport, parseRegistration } from './agent-messages.ts';
import { AssignmentIndex } from './assignment-index.ts';
import { DesiredSnapshots } from './desired-snapshots.ts';

const agentRoute = { config: { public: true, family: 'octavia' as const } };
const RECHECK_MS = 1000;
/** An agent's report body: room for tens of thousands of load balancers' observations. */
export const AGENT_REPORT_BODY_LIMIT = 16 * 1024 * 1024;

export async function registerAgentProtocolRoutes(app: FastifyInstance, context: ApiContext): Promise<void> {
  const { db } = context.store;

  async function authenticate(request: FastifyRequest): Promise<Agent> {
    const header = request.headers.authorization ?? '';
    const token = header.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : '';
    const agent = token ? await findAgentByToken(db, token) : undefined;
    if (!agent) throw fail('agent.unauthorized');
    return agent;
  }

  app.post(`${AGENT_API_PREFIX}/register`, agentRoute, async (request) => {
    const agent = await authenticate(request);
    const ungrouped = await registerAgent(db, agent.id, parseRegistration(readJson(request)));
    for (const lbId of ungrouped) context.changes.notify(lbId);
    context.changes.notify('');
    return {
      agentId: agent.id,
      heartbeatIntervalMs: context.config.heartbeatIntervalMs,
      heartbeatTimeoutMs: context.config.heartbeatTimeoutMs,
    };
  });

  const snapshots = new DesiredSnapshots();
  const assigned = new AssignmentIndex(db, context.changes);
  app.addHook('onClose', async () => assigned.close());

  app.get<{ Querystring: { etag?: string; wait?: string; delta?: string } }>(
    `${AGENT_API_PREFIX}/desired`,
    agentRoute,
    async (request, reply) => {
      const agent = await authenticate(request);
      const known = request.query.etag ?? '';
      const wait = Math.min(Number(request.query.wait ?? LONG_POLL_MS) || 0, LONG_POLL_MS);
      const deadline = Date.now() + wait;
      let current = await assigned.assignmentsOf(agent.id);
      while (current.etag === known && Date.now() < deadline && !reply.raw.destroyed) {
        await wakeOrTimeout(context, Math.min(RECHECK_MS, deadline - Date.now()), reply.raw);
        current = await assigned.assignmentsOf(agent.id);
      }
      const index = new Map(current.ids.map((a) => [a.id, assignmentKey(a)]));
      const base =
        request.query.delta === '1' && known !== '' ? snapshots.recall(agent.id, known) : undefined;
      // Only what changed since the set the agent holds is read and sent: one load balancer's document per
      // change, whatever the number the agent serves (issue #18).
      const changed = base ? current.ids.filter((a) => base.get(a.id) !== index.get(a.id)) : current.ids;
      const assignments: Assignment[] = [];
      for (const { id, provider, vrrp } of changed) {
        // A ref that no longer resolves leaves that listener's material null: its provider refuses it and the
        // data plane keeps what it serves; the provisioner fails the change with the resolution's reason.
        const desired = await loadDesiredState(db, id, { secrets: context.secrets, unresolved: 'omit' });
        if (desired) assignments.push({ provider, desired, ...(vrrp && { vrrp }) });
        // Not sent (gone between the two reads): the next answer must not count it as held.
        else index.delete(id);
      }
      snapshots.remember(agent.id, current.etag, index);
      const delta = base && { base: known, gone: [...base.keys()].filter((id) => !index.has(id)) };
      return { etag: current.etag, ...(delta && { delta }), assignments, removals: current.removals };
    },
  );

  // A report carries an observation per load balancer the agent serves, so it outgrows the OpenStack APIs'
  // 112 KiB cap at a few hundred load balancers (an agent refused there stops heartbeating and is declared
  // dead). Its own cap is larger, and the token is checked before the body is read (onRequest), so only an
  // agent can make the API read that much.
  const reporters = new WeakMap<FastifyRequest, Agent>();
  const reportRoute = {
    ...agentRoute,
    bodyLimit: AGENT_REPORT_BODY_LIMIT,
    onRequest: async (request: FastifyRequest) => {
      reporters.set(request, await authenticate(request));
    },
  };
  app.post(`${AGENT_API_PREFIX}/report`, reportRoute, async (request, reply) => {
    // onRequest authenticated it (or answered 401): the handler never runs without an agent.
    const agent = reporters.get(request) as Agent;
    const report = parseAgentReport(readJson(request));
    // One transaction per report: one commit (one fsync on SQLite) however many load balancers it covers.
    const touched = await inTransaction(db, async (trx) => {
      await recordHeartbeat(trx, agent.id);
      await recordObservations(trx, agent.id, report.observed);
      if (report.logs) await recordAccessLogs(trx, agent.id, report.logs);
      const applied = await recordApplyResults(trx, agent.id, report.results);
      // keepalived here holds the VIPs of a load balancer whose placement here is the BACKUP: it took over.
      const tookOver: string[] = [];
      for (const [lbId, state] of Object.entries(report.vrrp ?? {})) {
        if (state === VrrpState.MASTER && (await takeOverMasterRole(trx, agent.id, lbId)))
          tookOver.push(lbId);
      }
      return [...applied, ...tookOver];
    });
    for (const lbId of touched) context.changes.notify(lbId);
    return reply.code(204).send();
  });
}

/** Resolves on the next change-feed event, after `ms`, or when the client goes away. */
function wakeOrTimeout(context: ApiContext, ms: number, response: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      unsubscribe();
      response.off('close', done);
      resolve();
    };
    const timer = setTimeout(done, Math.max(ms, 0));
    const unsubscribe = context.changes.subscribe(done);
    response.once('close', done);
  });
}
