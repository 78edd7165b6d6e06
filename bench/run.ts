// `npm run bench`: measures what users feel, against a real `sluice serve` on loopback, and prints each
// figure beside the reference it competes with. Bounded: a fixed number of requests, no open-ended loops.
// Sections: api, traffic, throughput, logging, tls, failover, scale, batch; `npm run bench -- scale,tls` (or
// SLUICE_BENCH_ONLY=scale,tls) runs only those named, in this file's order.
import { performance } from 'node:perf_hooks';
import { haproxyAvailable } from '../src/providers/haproxy/haproxy-available.ts';
import { issueToken, startServe } from '../test/helpers/serve-process.ts';
import { accessLogCost } from './access-log-cost.ts';
import { batchUpdate } from './batch-members.ts';
import { percentile } from './bench-fixtures.ts';
import { failoverGap } from './failover-gap.ts';
import { hitlessChanges } from './hitless-changes.ts';
import { nativeThroughput } from './native-throughput.ts';
import { scale } from './scale.ts';
import { timeToTraffic } from './time-to-traffic.ts';
import { tlsThroughput } from './tls-throughput.ts';

const PASSWORD = 'bench-password';
const LOAD_BALANCERS = 50;
const READS = 500;

const ms = (value: number) => `${value.toFixed(1)} ms`;
const only = (process.argv[2] ?? process.env.SLUICE_BENCH_ONLY)?.split(',');
const wanted = (section: string) => only === undefined || only.includes(section);

async function apiLatency(): Promise<void> {
  const server = await startServe({ env: { SLUICE_ADMIN_PASSWORD: PASSWORD, SLUICE_PROVIDER: 'noop' } });
  try {
    const token = await issueToken(server.url, PASSWORD);
    const headers = { 'x-auth-token': token, 'content-type': 'application/json' };
    const subnets = await (await fetch(`${server.url}/v2.0/subnets?name=public-subnet`, { headers })).json();
    const body = JSON.stringify({ loadbalancer: { vip_subnet_id: subnets.subnets[0].id } });

    // Time from POST /loadbalancers to provisioning_status ACTIVE, polled every 5 ms, one at a time.
    const provisioning: number[] = [];
    for (let i = 0; i < LOAD_BALANCERS; i += 1) {
      const start = performance.now();
      const created = await (
        await fetch(`${server.url}/v2/lbaas/loadbalancers`, { method: 'POST', headers, body })
      ).json();
      for (let poll = 0; poll < 2000; poll += 1) {
        const lb = await (
          await fetch(`${server.url}/v2/lbaas/loadbalancers/${created.loadbalancer.id}`, { headers })
        ).json();
        if (lb.loadbalancer.provisioning_status === 'ACTIVE') break;
        await new Promise((r) => setTimeout(r, 5));
      }
      provisioning.push(performance.now() - start);
    }
    provisioning.sort((a, b) => a - b);

    // Sequential authenticated reads of one load balancer (token validation + store read + wire mapping).
    const reads: number[] = [];
    const first = (await (await fetch(`${server.url}/v2/lbaas/loadbalancers?limit=1`, { headers })).json())
      .loadbalancers[0];
    const readStart = performance.now();
    for (let i = 0; i < READS; i += 1) {
      const t0 = performance.now();
      await (await fetch(`${server.url}/v2/lbaas/loadbalancers/${first.id}`, { headers })).arrayBuffer();
      reads.push(performance.now() - t0);
    }
    const readSeconds = (performance.now() - readStart) / 1000;
    reads.sort((a, b) => a - b);

    console.log('figure                                   | Sluice (noop provider, SQLite)   | reference');
    console.log(
      '-----------------------------------------|----------------------------------|-----------------------------------------',
    );
    console.log(
      `load balancer create → ACTIVE (n=${LOAD_BALANCERS})     | p50 ${ms(percentile(provisioning, 50))}, p99 ${ms(percentile(provisioning, 99))} | Octavia amphora: one VM boot each, tens of seconds to minutes (reference §13)`,
    );
    console.log(
      `GET one load balancer (n=${READS})            | p50 ${ms(percentile(reads, 50))}, p99 ${ms(percentile(reads, 99))}, ${(READS / readSeconds).toFixed(0)} req/s | Octavia API: not published`,
    );
  } finally {
    await server.stop();
  }
}

if (wanted('api')) await apiLatency();
const dataPlanes = ['native', ...(haproxyAvailable() ? ['haproxy'] : [])];
if (wanted('traffic')) {
  console.log(
    '\nprovider | first POST (LB + HTTP listener + pool + 2 members, one call) → first 200 through the VIP | 50 changes under wrk load: requests, non-2xx, socket errors, time',
  );
  console.log(
    '---------|-----------------------------------------------------------------------------------|--------------------------------------------------------------',
  );
  for (const provider of dataPlanes) {
    const ttt = await timeToTraffic(provider);
    const hit = await hitlessChanges(provider);
    console.log(
      `${provider.padEnd(8)} | n=${ttt.n}: p50 ${ms(ttt.p50)}, p95 ${ms(ttt.p95)} (Octavia amphora: one VM boot, tens of seconds to minutes) | ${hit.requests} requests, ${hit.non2xx} non-2xx, socket errors: ${hit.socketErrors}, ${hit.changes} changes in ${hit.seconds.toFixed(1)} s`,
    );
  }
}

if (wanted('throughput')) await nativeThroughput();
if (wanted('logging')) await accessLogCost();
if (wanted('tls')) await tlsThroughput();
// Root and `ip netns` (and keepalived for the anchors) only; otherwise it prints why it skipped.
if (wanted('failover')) await failoverGap();
if (wanted('scale')) await scale();
if (wanted('batch')) await batchUpdate();
