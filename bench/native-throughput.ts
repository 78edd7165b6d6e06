// Throughput of the native data plane in issue #18's setup: two fast members (nginx when installed),
// X-Forwarded-For on the HTTP listener, load balancers built through the API; wrk against one member
// directly, through a native HTTP listener and a native TCP listener (HTTP carried over TCP pass-through),
// the haproxy provider and a hand-written single-threaded HAProxy with the same topology when it is
// installed. Bounded: 5 s per measurement, 50 connections, one wrk thread, and SLUICE_BENCH_ROUNDS rounds
// (default 1, at most 9). Each native figure is measured right next to its
// HAProxy counterpart (in alternating order), so the ratio within a round is what counts on a machine shared
// with other work. Beside requests/s, each proxy's CPU time per request (user + system, from /proc on Linux)
// is printed: it depends far less on what else the shared machine runs than requests/s does.
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { listener } from '../src/providers/desired-test-builders.ts';
import { AccessLogSocket } from '../src/providers/haproxy/access-log-socket.ts';
import {
  accessLogFrontend,
  accessLogGlobal,
  accessLogRing,
} from '../src/providers/haproxy/render-access-log.ts';
import { freePort, startServe } from '../test/helpers/serve-process.ts';
import {
  alternating,
  benchApi,
  benchDir,
  benchRounds,
  fastMember,
  haproxyInstalled,
  type Member,
  median,
  spread,
  startHaproxy,
  type WrkResult,
  wrk,
} from './throughput-kit.ts';

const PASSWORD = 'bench-password';
const MEMBERS = ['127.0.40.1', '127.0.40.2'] as const;
/** Issue #18's load: enough connections that a fast member is not the bottleneck. */
const CONNECTIONS = 50;

/**
 * `cpuUs`: CPU µs the proxy process spent per request, when its process could be found (Linux); `systemUs`:
 * the part of it spent in the kernel (the same reads and writes for every proxy), the rest is the proxy's own.
 */
export type Result = WrkResult & { cpuUs?: number; systemUs?: number };
type Round = {
  direct: Result;
  nativeHttp: Result;
  nativeTcp: Result;
  haHttp: Result | undefined;
  haTcp: Result | undefined;
  /** the hand-written HAProxy again, writing the provider's access log lines to the provider's receiver */
  loggingHttp?: Result;
  loggingTcp?: Result;
  providerHttp?: Result;
  providerTcp?: Result;
};

/** USER_HZ: /proc reports CPU time in these ticks; 100 on Linux for every mainstream architecture (proc(5)). */
const TICKS_PER_SECOND = 100;

/** CPU seconds (user and system, all threads) `pid` used so far: fields 14 and 15 of /proc/<pid>/stat, proc(5). */
function cpuSeconds(pid: number): { user: number; system: number } | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'latin1');
    // The command name (field 2) may hold spaces: fields are counted after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { user: Number(fields[11]) / TICKS_PER_SECOND, system: Number(fields[12]) / TICKS_PER_SECOND };
  } catch {
    return undefined;
  }
}

/**
 * The process listening on `address:port` (IPv4): its socket's inode from /proc/net/tcp (state 0A = LISTEN,
 * the address as little-endian hex), then the /proc/<pid>/fd link naming that inode. Undefined off Linux.
 */
function listenerPid(address: string, port: number): number | undefined {
  try {
    const hexAddress = address
      .split('.')
      .reverse()
      .map((octet) => Number(octet).toString(16).padStart(2, '0'))
      .join('')
      .toUpperCase();
    const local = `${hexAddress}:${port.toString(16).toUpperCase().padStart(4, '0')}`;
    const row = fs
      .readFileSync('/proc/net/tcp', 'latin1')
      .split('\n')
      .map((line) => line.trim().split(/\s+/))
      .find((cols) => cols[1] === local && cols[3] === '0A');
    if (!row) return undefined;
    const link = `socket:[${row[9]}]`;
    for (const pid of fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
      let fds: string[];
      try {
        fds = fs.readdirSync(`/proc/${pid}/fd`);
      } catch {
        continue; // gone, or not ours
      }
      for (const fd of fds) {
        try {
          if (fs.readlinkSync(`/proc/${pid}/fd/${fd}`) === link) return Number(pid);
        } catch {}
      }
    }
  } catch {}
  return undefined;
}

/** wrk against host:port, with the CPU the process listening there spent per request. */
export async function measured(host: string, port: number): Promise<Result> {
  const pid = listenerPid(host, port);
  const before = pid === undefined ? undefined : cpuSeconds(pid);
  const result = await wrk(`http://${host}:${port}/`, { connections: CONNECTIONS });
  const after = pid === undefined ? undefined : cpuSeconds(pid);
  if (before === undefined || after === undefined || result.requests === 0) return result;
  const perRequest = (seconds: number) => (seconds * 1e6) / result.requests;
  const system = after.system - before.system;
  return { ...result, cpuUs: perRequest(after.user - before.user + system), systemUs: perRequest(system) };
}

/** Where the hand-written HAProxy listens; the one with the access log listens on the second address. */
const HAND_WRITTEN = '127.0.41.1';
const HAND_WRITTEN_LOGGING = '127.0.41.2';

/**
 * A hand-written single-threaded HAProxy with the bench's topology on `address`; with `accessLogSocket`, it
 * also writes the haproxy provider's access log lines (the same global, ring and frontend lines) to it.
 */
async function haproxy(
  address: string,
  httpPort: number,
  tcpPort: number,
  members: readonly Member[],
  accessLogSocket?: string,
): Promise<ChildProcess | undefined> {
  const servers = members.map((m, i) => `  server s${i} ${m.address}:${m.port}\n`).join('');
  if (!(await haproxyInstalled())) return undefined;
  const log = (lines: string[]) => (accessLogSocket === undefined ? '' : `${lines.join('\n')}\n`);
  const frontendLog = (protocol: 'HTTP' | 'TCP', port: number) =>
    log(accessLogFrontend(listener(`l-${protocol}`, port, { protocol })));
  return startHaproxy(
    benchDir(),
    // maxconn stays small: this sandbox caps file descriptors at 20000, below what 50000 would need.
    // nbthread 1: the reference is one HAProxy thread, as the native data plane serves a listener on one.
    // `option forwardfor` adds X-Forwarded-For like the listener's insert_headers (HAProxy manual 4.2).
    `global\n  maxconn 4000\n  nbthread 1\n${log([accessLogGlobal()])}` +
      log(accessLogSocket === undefined ? [] : accessLogRing(accessLogSocket)) +
      `defaults\n  timeout connect 5s\n  timeout client 50s\n  timeout server 50s\n` +
      `frontend h\n  mode http\n  option forwardfor\n  bind ${address}:${httpPort}\n  default_backend hb\n` +
      frontendLog('HTTP', httpPort) +
      `backend hb\n  mode http\n  balance roundrobin\n  http-reuse safe\n${servers}` +
      `frontend t\n  mode tcp\n  bind ${address}:${tcpPort}\n  default_backend tb\n` +
      frontendLog('TCP', tcpPort) +
      `backend tb\n  mode tcp\n  balance roundrobin\n${servers}`,
    address,
    httpPort,
  );
}

export async function nativeThroughput(): Promise<void> {
  const members: Member[] = [];
  for (const address of MEMBERS) members.push(await fastMember(benchDir(), address, await freePort()));
  const env: Record<string, string> = { SLUICE_ADMIN_PASSWORD: PASSWORD, SLUICE_PROVIDER: 'native' };
  // SLUICE_BENCH_CPU_PROF=<dir>: .cpuprofile files of serve, its agent and native workers (bench/cpu-profile-summary.ts).
  const profiles = process.env.SLUICE_BENCH_CPU_PROF;
  if (profiles) env.NODE_OPTIONS = `--cpu-prof --cpu-prof-dir=${profiles}`;
  const server = await startServe({ env });
  let ha: ChildProcess | undefined;
  let logging: ChildProcess | undefined;
  // The provider's own receiver for the logging reference's lines, emptied as often as an agent takes them.
  const logSocket = path.join(benchDir(), 'log.sock');
  const receiver = await AccessLogSocket.open(logSocket);
  const taking = setInterval(() => receiver.drain(10_000), 500);
  try {
    const api = await benchApi(server.url, PASSWORD);
    const httpPort = 18180;
    const tcpPort = 18181;
    const pools = [
      { protocol: 'HTTP', port: httpPort, pool: 'HTTP' },
      { protocol: 'TCP', port: tcpPort, pool: 'TCP' },
    ];
    const createLoadBalancer = async (provider: string): Promise<string> => {
      const lb = await api.call('POST', '/v2/lbaas/loadbalancers', {
        loadbalancer: {
          vip_subnet_id: api.subnet,
          provider,
          listeners: pools.map((p) => ({
            protocol: p.protocol,
            protocol_port: p.port,
            default_pool: { name: p.pool },
            ...(p.protocol === 'HTTP' ? { insert_headers: { 'X-Forwarded-For': 'true' } } : {}),
          })),
          pools: pools.map((p) => ({
            name: p.pool,
            protocol: p.pool,
            lb_algorithm: 'ROUND_ROBIN',
            members: members.map((m) => ({ address: m.address, protocol_port: m.port })),
          })),
        },
      });
      await api.waitActive(String(lb.loadbalancer.id));
      return lb.loadbalancer.vip_address as string;
    };
    const vip = await createLoadBalancer('native');
    // The haproxy provider: the same HAProxy, configured by Sluice the way Octavia renders it.
    const providerVip = (await haproxyInstalled()) ? await createLoadBalancer('haproxy') : undefined;
    ha = await haproxy(HAND_WRITTEN, httpPort, tcpPort, members);
    logging = await haproxy(HAND_WRITTEN_LOGGING, httpPort, tcpPort, members, logSocket);
    const rounds = benchRounds();
    const results: Round[] = [];
    for (let round = 0; round < rounds; round += 1) {
      // Each figure is measured right beside the one it is compared with, so drift in this shared machine's
      // load affects both alike; odd rounds measure in the reverse order, so neither side always goes first.
      const direct = await wrk(`http://${members[0].address}:${members[0].port}/`, {
        connections: CONNECTIONS,
      });
      const measure = async (port: number) => {
        const references = ha ? [HAND_WRITTEN, HAND_WRITTEN_LOGGING] : [];
        const targets = [vip, ...references, ...(providerVip ? [providerVip] : [])];
        const figures = await alternating(round, targets, (host) => measured(host, port));
        return {
          native: figures.get(vip) as Result,
          ha: figures.get(HAND_WRITTEN),
          logging: figures.get(HAND_WRITTEN_LOGGING),
          provider: providerVip ? figures.get(providerVip) : undefined,
        };
      };
      const http = await measure(httpPort);
      const tcp = await measure(tcpPort);
      results.push({
        direct,
        nativeHttp: http.native,
        nativeTcp: tcp.native,
        haHttp: http.ha,
        haTcp: tcp.ha,
        loggingHttp: http.logging,
        loggingTcp: tcp.logging,
        providerHttp: http.provider,
        providerTcp: tcp.provider,
      });
    }
    const cpu = (r: Result) =>
      r.cpuUs === undefined
        ? ''
        : ` | ${r.cpuUs.toFixed(1).padStart(5)} µs CPU/req (kernel ${(r.systemUs ?? 0).toFixed(1).padStart(4)})`;
    const row = (name: string, r: Result | undefined, versus?: Result, label = 'HAProxy') =>
      r
        ? `${name.padEnd(34)}| ${r.rps.toFixed(0).padStart(7)} req/s | p50 ${r.p50.padStart(8)} | p99 ${r.p99.padStart(8)}${cpu(r)}${versus ? ` | ${(r.rps / versus.rps).toFixed(2)}× of ${label}` : ''}`
        : `${name.padEnd(34)}| HAProxy not installed`;
    console.log(
      `\nwrk -t1 -c${CONNECTIONS} -d5s, tiny HTTP responses, two members (${members[0].kind}), X-Forwarded-For on, ` +
        'load balancers built through the API; 2 cores shared by everything (and other work on this machine)',
    );
    for (const [i, r] of results.entries()) {
      if (rounds > 1) console.log(`round ${i + 1} of ${rounds}`);
      const versus = (x: Result | undefined) => x ?? r.direct;
      console.log(row('one member directly', r.direct));
      // Beside the minimal HAProxy file, and beside HAProxy running the same load balancer (the provider).
      const andProvider = (native: Result, provider: Result | undefined) =>
        provider ? `, ${(native.rps / provider.rps).toFixed(2)}× of the haproxy provider` : '';
      console.log(
        row('native HTTP listener', r.nativeHttp, versus(r.haHttp), r.haHttp ? 'HAProxy' : 'direct') +
          andProvider(r.nativeHttp, r.providerHttp),
      );
      console.log(
        row('native TCP listener', r.nativeTcp, versus(r.haTcp), r.haTcp ? 'HAProxy' : 'direct') +
          andProvider(r.nativeTcp, r.providerTcp),
      );
      console.log(row('HAProxy HTTP (same topology)', r.haHttp, r.direct, 'direct'));
      console.log(row('HAProxy TCP (same topology)', r.haTcp, r.direct, 'direct'));
      if (r.loggingHttp) console.log(row('HAProxy HTTP + access log', r.loggingHttp, r.haHttp, 'HAProxy'));
      if (r.loggingTcp) console.log(row('HAProxy TCP + access log', r.loggingTcp, r.haTcp, 'HAProxy'));
      if (r.providerHttp && r.haHttp)
        console.log(row('haproxy provider HTTP', r.providerHttp, r.haHttp, 'hand-written HAProxy'));
      if (r.providerTcp && r.haTcp)
        console.log(row('haproxy provider TCP', r.providerTcp, r.haTcp, 'hand-written HAProxy'));
    }
    if (rounds > 1 && ha) {
      const ratio =
        (native: (r: Round) => Result, reference: (r: Round) => Result | undefined) => (r: Round) =>
          native(r).rps / (reference(r)?.rps ?? Number.NaN);
      console.log(
        `native HTTP / HAProxy HTTP over ${rounds} rounds: ${spread(
          results.map(
            ratio(
              (r) => r.nativeHttp,
              (r) => r.haHttp,
            ),
          ),
        )}`,
      );
      console.log(
        `native TCP / HAProxy TCP over ${rounds} rounds:   ${spread(
          results.map(
            ratio(
              (r) => r.nativeTcp,
              (r) => r.haTcp,
            ),
          ),
        )}`,
      );
      // CPU per request, HAProxy's over native's: how much of HAProxy's efficiency native reaches (1 = equal).
      const efficiency = (native: (r: Round) => Result, reference: (r: Round) => Result | undefined) =>
        spread(results.map((r) => (reference(r)?.cpuUs ?? Number.NaN) / (native(r).cpuUs ?? Number.NaN)));
      console.log(
        `HAProxy CPU/req ÷ native CPU/req, HTTP over ${rounds} rounds: ${efficiency(
          (r) => r.nativeHttp,
          (r) => r.haHttp,
        )}`,
      );
      console.log(
        `HAProxy CPU/req ÷ native CPU/req, TCP over ${rounds} rounds:  ${efficiency(
          (r) => r.nativeTcp,
          (r) => r.haTcp,
        )}`,
      );
      // Where the gap is: the kernel part is the same reads and writes for both, the rest is each proxy's own.
      const split = (pick: (r: Round) => Result | undefined) => {
        const kernel = median(results.map((r) => pick(r)?.systemUs ?? Number.NaN));
        const total = median(results.map((r) => pick(r)?.cpuUs ?? Number.NaN));
        return `${kernel.toFixed(1)} µs in the kernel + ${(total - kernel).toFixed(1)} µs own`;
      };
      console.log(
        `HTTP CPU per request (medians): native ${split((r) => r.nativeHttp)}; HAProxy ${split((r) => r.haHttp)}`,
      );
      if (providerVip) {
        const provider = (
          pick: (r: Round) => Result | undefined,
          reference: (r: Round) => Result | undefined,
        ) => spread(results.map((r) => (pick(r)?.rps ?? Number.NaN) / (reference(r)?.rps ?? Number.NaN)));
        console.log(
          `haproxy provider / hand-written HTTP over ${rounds} rounds: ${provider(
            (r) => r.providerHttp,
            (r) => r.haHttp,
          )}`,
        );
        console.log(
          `haproxy provider / hand-written TCP over ${rounds} rounds:  ${provider(
            (r) => r.providerTcp,
            (r) => r.haTcp,
          )}`,
        );
        // The provider logs every request (Octavia's default); beside the same hand-written HAProxy logging
        // the same lines the same way, what remains is the cost of the rest of what the provider renders.
        console.log(
          `haproxy provider / hand-written with the same access log, HTTP over ${rounds} rounds: ${provider(
            (r) => r.providerHttp,
            (r) => r.loggingHttp,
          )}`,
        );
        console.log(
          `haproxy provider / hand-written with the same access log, TCP over ${rounds} rounds:  ${provider(
            (r) => r.providerTcp,
            (r) => r.loggingTcp,
          )}`,
        );
        // HAProxy configured as Sluice (and Octavia) render a load balancer, rather than a minimal file.
        console.log(
          `native / haproxy provider HTTP over ${rounds} rounds: ${provider(
            (r) => r.nativeHttp,
            (r) => r.providerHttp,
          )}`,
        );
        console.log(
          `native / haproxy provider TCP over ${rounds} rounds:  ${provider(
            (r) => r.nativeTcp,
            (r) => r.providerTcp,
          )}`,
        );
      }
    }
  } finally {
    ha?.kill();
    logging?.kill();
    clearInterval(taking);
    receiver.close();
    for (const m of members) m.stop();
    await server.stop();
  }
}
