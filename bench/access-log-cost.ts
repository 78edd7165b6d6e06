// What the access log costs the native data plane: native HTTP requests/s with logging on (the default, as
// Octavia's) and off (SLUICE_CONNECTION_LOGGING=false, Octavia's `connection_logging = False`), each on its
// own `sluice serve` with the same members and load balancer built through the API, measured in alternating
// order per round so the shared machine's drift hits both alike. Bounded: 5 s per wrk run, SLUICE_BENCH_ROUNDS
// rounds (default 1, at most 9). Issue #16's bar: logging costs under 10% of requests/s. Beside requests/s,
// the data plane's CPU time per request (from /proc, Linux), which depends less on the machine's other work.
import { freePort, type ServeProcess, startServe } from '../test/helpers/serve-process.ts';
import { measured, type Result } from './native-throughput.ts';
import {
  alternating,
  benchApi,
  benchDir,
  benchRounds,
  fastMember,
  type Member,
  spread,
} from './throughput-kit.ts';

const PASSWORD = 'bench-password';
const MEMBERS = ['127.0.40.11', '127.0.40.12'] as const;

/** A native load balancer with one HTTP listener on `port` over `members`; returns its VIP. */
async function nativeHttp(server: ServeProcess, port: number, members: readonly Member[]): Promise<string> {
  const api = await benchApi(server.url, PASSWORD);
  const lb = await api.call('POST', '/v2/lbaas/loadbalancers', {
    loadbalancer: {
      vip_subnet_id: api.subnet,
      provider: 'native',
      listeners: [
        {
          protocol: 'HTTP',
          protocol_port: port,
          insert_headers: { 'X-Forwarded-For': 'true' },
          default_pool: { name: 'web' },
        },
      ],
      pools: [
        {
          name: 'web',
          protocol: 'HTTP',
          lb_algorithm: 'ROUND_ROBIN',
          members: members.map((m) => ({ address: m.address, protocol_port: m.port })),
        },
      ],
    },
  });
  await api.waitActive(String(lb.loadbalancer.id));
  return lb.loadbalancer.vip_address as string;
}

export async function accessLogCost(): Promise<void> {
  const members: Member[] = [];
  for (const address of MEMBERS) members.push(await fastMember(benchDir(), address, await freePort()));
  const env = { SLUICE_ADMIN_PASSWORD: PASSWORD, SLUICE_PROVIDER: 'native' };
  const logging = await startServe({ env });
  const quiet = await startServe({ env: { ...env, SLUICE_CONNECTION_LOGGING: 'false' } });
  try {
    // The two serves allocate VIPs from the same range: distinct ports keep their listeners apart.
    const on = { host: await nativeHttp(logging, 18190, members), port: 18190 };
    const off = { host: await nativeHttp(quiet, 18191, members), port: 18191 };
    const rounds = benchRounds();
    const ratios: number[] = [];
    const cpuRatios: number[] = [];
    const row = (name: string, r: Result) =>
      `${name.padEnd(34)}| ${r.rps.toFixed(0).padStart(7)} req/s | p50 ${r.p50.padStart(8)} | p99 ${r.p99.padStart(8)}${r.cpuUs === undefined ? '' : ` | ${r.cpuUs.toFixed(1).padStart(5)} µs CPU/req`} | errors ${r.errors}`;
    console.log(
      `\nwrk -t1 -c50 -d5s through a native HTTP listener (two members, ${members[0].kind}), access log on vs off`,
    );
    for (let round = 0; round < rounds; round += 1) {
      const figures = await alternating(round, [on, off], (t) => measured(t.host, t.port));
      const withLog = figures.get(on) as Result;
      const without = figures.get(off) as Result;
      ratios.push(withLog.rps / without.rps);
      if (withLog.cpuUs !== undefined && without.cpuUs !== undefined)
        cpuRatios.push(withLog.cpuUs / without.cpuUs);
      if (rounds > 1) console.log(`round ${round + 1} of ${rounds}`);
      console.log(row('native HTTP, access log on', withLog));
      console.log(
        `${row('native HTTP, access log off', without)} | on/off ${(withLog.rps / without.rps).toFixed(2)}×`,
      );
    }
    if (rounds > 1) {
      console.log(`access log on / off, requests/s over ${rounds} rounds: ${spread(ratios)}`);
      if (cpuRatios.length === rounds)
        console.log(`access log on / off, CPU per request over ${rounds} rounds: ${spread(cpuRatios)}`);
    }
  } finally {
    await logging.stop();
    await quiet.stop();
    for (const member of members) member.stop();
  }
}
