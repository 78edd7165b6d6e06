// Hitless reconfiguration under load: wrk drives a bounded HTTP load through a load balancer while 50
// configuration changes are applied through the API one after another (listener timeout changes, which
// HAProxy can only take with a reload, alternating with adding and removing a member). Prints requests
// served, non-2xx answers and socket errors (connect/read/write/timeout: a reset shows up as a read error).
import { type ChildProcess, spawn } from 'node:child_process';
import { issueToken, startServe } from '../test/helpers/serve-process.ts';
import { backend, httpLoadBalancerBody } from './bench-fixtures.ts';

const PASSWORD = 'bench-password';
const CHANGES = 50;
const PORT = 18600;

export type HitlessResult = {
  provider: string;
  changes: number;
  requests: number;
  non2xx: number;
  socketErrors: string;
  seconds: number;
};

function wrk(url: string, seconds: number): { child: ChildProcess; output: Promise<string> } {
  const child = spawn('wrk', ['-t1', '-c8', `-d${seconds}s`, url]);
  let text = '';
  child.stdout?.on('data', (chunk) => {
    text += chunk;
  });
  const output = new Promise<string>((resolve) => child.once('exit', () => resolve(text)));
  return { child, output };
}

export async function hitlessChanges(provider: string): Promise<HitlessResult> {
  const members = [await backend('127.0.46.1'), await backend('127.0.46.2')];
  const server = await startServe({ env: { SLUICE_ADMIN_PASSWORD: PASSWORD } });
  try {
    const token = await issueToken(server.url, PASSWORD);
    const headers = { 'x-auth-token': token, 'content-type': 'application/json' };
    const call = async (method: string, path: string, body?: unknown) => {
      const init = { method, headers, body: body === undefined ? undefined : JSON.stringify(body) };
      const text = await (await fetch(`${server.url}${path}`, init)).text();
      return text ? JSON.parse(text) : {};
    };
    const subnets = await call('GET', '/v2.0/subnets?name=public-subnet');
    const created = await call(
      'POST',
      '/v2/lbaas/loadbalancers',
      httpLoadBalancerBody(subnets.subnets[0].id, provider, PORT, members.slice(0, 1)),
    );
    const lb = created.loadbalancer;
    const active = async () => {
      for (let i = 0; i < 3000; i += 1) {
        const now = await call('GET', `/v2/lbaas/loadbalancers/${lb.id}`);
        if (now.loadbalancer.provisioning_status === 'ACTIVE') return;
        if (now.loadbalancer.provisioning_status === 'ERROR') throw new Error('load balancer went ERROR');
        await new Promise((r) => setTimeout(r, 10));
      }
      throw new Error('not ACTIVE within 30 s');
    };
    await active();
    const listenerId = lb.listeners[0].id;
    const poolId = lb.pools[0].id;
    const load = wrk(`http://${lb.vip_address}:${PORT}/`, 40);
    await new Promise((r) => setTimeout(r, 1000));
    const start = Date.now();
    let extra: string | undefined;
    for (let i = 0; i < CHANGES; i += 1) {
      if (i % 2 === 0) {
        await call('PUT', `/v2/lbaas/listeners/${listenerId}`, {
          listener: { timeout_client_data: 50_000 + i },
        });
      } else if (!extra) {
        extra = (
          await call('POST', `/v2/lbaas/pools/${poolId}/members`, {
            member: { address: members[1].address, protocol_port: members[1].port },
          })
        ).member.id;
      } else {
        await call('DELETE', `/v2/lbaas/pools/${poolId}/members/${extra}`);
        extra = undefined;
      }
      await active();
    }
    const seconds = (Date.now() - start) / 1000;
    load.child.kill('SIGINT');
    const text = await load.output;
    return {
      provider,
      changes: CHANGES,
      requests: Number(/(\d+) requests in/.exec(text)?.[1] ?? 0),
      non2xx: Number(/Non-2xx or 3xx responses: (\d+)/.exec(text)?.[1] ?? 0),
      socketErrors: /Socket errors: (.*)/.exec(text)?.[1] ?? 'none',
      seconds,
    };
  } finally {
    await server.stop();
    for (const m of members) m.close();
  }
}
