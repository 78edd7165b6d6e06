// Liveness and readiness for systemd and orchestrators (issue #16): `GET /healthz` answers 200 while this
// process serves and its store answers, 503 with the reason while the store does not; `GET /readyz` answers
// the same way, and Fastify answers 503 to both once the process is closing (return503OnClosing), so a load
// balancer in front of API replicas stops sending it requests before it stops. No token: a probe has none.
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { answerWithin } from '../../model/answer-within.ts';
import type { Store } from '../../store/database.ts';

/** How long the store may take to answer a probe before it counts as unreachable. */
export const STORE_PROBE_MS = 1000;

/** undefined when the store answered `select 1` in time, else why not. */
export async function storeProblem(store: Store, timeoutMs = STORE_PROBE_MS): Promise<string | undefined> {
  const probe = sql`select 1`.execute(store.db).then(
    () => undefined,
    (error: Error) => `store unreachable: ${error.message}`,
  );
  return answerWithin(probe, timeoutMs, `store did not answer within ${timeoutMs} ms`);
}

export function registerHealthRoutes(app: FastifyInstance, store: Store): void {
  for (const path of ['/healthz', '/readyz']) {
    app.get(path, { config: { public: true, family: 'octavia' } }, async (_request, reply) => {
      const problem = await storeProblem(store);
      if (problem) return reply.code(503).send({ status: 'unavailable', reason: problem });
      return { status: 'ok' };
    });
  }
}
