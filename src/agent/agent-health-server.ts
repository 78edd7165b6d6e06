// The agent's liveness and readiness over HTTP, for systemd and orchestrators (issue #16), when
// `--health-listen` is given: `GET /healthz` is 200 while the data planes run (bin/agent.ts gives the check
// keepalived runs, data-plane-check.ts), `GET /readyz` while they run and reports reach an API in time (the
// controller counts the agent UP). Otherwise 503 with the reason, as the API's own /healthz answers.
import http from 'node:http';
import { answerWithin } from '../model/answer-within.ts';

/** the data-plane check's bound, as keepalived's (vrrp-check.ts) */
const CHECK_MS = 800;

export type AgentHealth = Readonly<{
  /** why the data planes do not serve, or null */
  checkDataPlanes: () => Promise<string | null>;
  /** why the agent is not ready, or undefined (AgentRunner.unready) */
  unready: () => string | undefined;
}>;

async function dataPlaneProblem(health: AgentHealth): Promise<string | undefined> {
  const late = `the data-plane check did not finish within ${CHECK_MS} ms`;
  return (await answerWithin(health.checkDataPlanes(), CHECK_MS, late)) ?? undefined;
}

export async function startAgentHealthServer(
  listen: { host: string; port: number },
  health: AgentHealth,
): Promise<http.Server> {
  const server = http.createServer(async (request, response) => {
    const path = (request.url ?? '').split('?')[0];
    if (request.method !== 'GET' || (path !== '/healthz' && path !== '/readyz')) {
      response.writeHead(404, { 'content-type': 'application/json' }).end('{"status":"not found"}');
      return;
    }
    const problem = (await dataPlaneProblem(health)) ?? (path === '/readyz' ? health.unready() : undefined);
    const body = problem ? { status: 'unavailable', reason: problem } : { status: 'ok' };
    response.writeHead(problem ? 503 : 200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port, listen.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}
