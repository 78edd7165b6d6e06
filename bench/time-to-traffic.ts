// Time to traffic: from the first POST of a load balancer with a listener, a pool and two members (the
// fully populated create, reference §3.3) to the first 200 answered through its VIP, per provider, over
// a bounded number of load balancers. The reference is Octavia's amphora driver: one VM boot each.
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { issueToken, startServe } from '../test/helpers/serve-process.ts';
import { backend, httpLoadBalancerBody, percentile } from './bench-fixtures.ts';

const PASSWORD = 'bench-password';
const COUNT = 50;
const PORT = 18500;

/** One GET with a short timeout; true on 200. */
function answers(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const request = http.get(url, { agent: false, timeout: 200 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(false));
  });
}

export async function timeToTraffic(provider: string): Promise<{ p50: number; p95: number; n: number }> {
  const members = [await backend('127.0.45.1'), await backend('127.0.45.2')];
  const server = await startServe({ env: { SLUICE_ADMIN_PASSWORD: PASSWORD } });
  const times: number[] = [];
  try {
    const token = await issueToken(server.url, PASSWORD);
    const headers = { 'x-auth-token': token, 'content-type': 'application/json' };
    const subnets = await (await fetch(`${server.url}/v2.0/subnets?name=public-subnet`, { headers })).json();
    const body = JSON.stringify(httpLoadBalancerBody(subnets.subnets[0].id, provider, PORT, members));
    for (let i = 0; i < COUNT; i += 1) {
      const start = performance.now();
      const created = await (
        await fetch(`${server.url}/v2/lbaas/loadbalancers`, { method: 'POST', headers, body })
      ).json();
      if (!created.loadbalancer) throw new Error(`create failed: ${JSON.stringify(created)}`);
      const url = `http://${created.loadbalancer.vip_address}:${PORT}/`;
      let ok = false;
      for (let probe = 0; probe < 2000 && !ok; probe += 1) {
        ok = await answers(url);
        if (!ok) await new Promise((r) => setTimeout(r, 2));
      }
      if (ok) times.push(performance.now() - start);
      await fetch(`${server.url}/v2/lbaas/loadbalancers/${created.loadbalancer.id}?cascade=true`, {
        method: 'DELETE',
        headers,
      });
    }
  } finally {
    await server.stop();
    for (const m of members) m.close();
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95), n: times.length };
}
