// The scale curve of issue #18 (`npm run bench -- scale`): on one `sluice serve` with one local agent, how
// create → ACTIVE, one member change → ACTIVE, a listing page, a status read and memory per load balancer
// grow from 10 through 100 and 250 to 1,000 load balancers (native) and from 10 to 200 (haproxy provider).
import { performance } from 'node:perf_hooks';
import { dataPlanePids } from '../test/helpers/data-plane-processes.ts';
import { type ServeProcess, startServe } from '../test/helpers/serve-process.ts';
import { freshPostgresSchema } from '../test/helpers/store-dialects.ts';
import { backend, httpLoadBalancerBody, percentile } from './bench-fixtures.ts';
import { rss, treePss, treeRss } from './process-rss.ts';
import { storeScale } from './store-scale.ts';
import { type BenchApi, benchApi, haproxyInstalled } from './throughput-kit.ts';

const PASSWORD = 'bench-password';
/**
 * Timed samples per figure. With 20, the member-add median at 1,000 load balancers on PostgreSQL moved between
 * 0.91× and 1.31× of the figure at 10 from one run to the next on this shared 2-core machine.
 */
const SAMPLES = 50;
/** Load balancers created at once while filling up to the next size (not measured). */
const FILL_BATCH = 4;
const HEARTBEAT_TIMEOUT_MS = 15_000;
/** Polling while a measured change converges: fine enough for figures of a few milliseconds. */
const POLL_MS = 5;
const CHANGE_TIMEOUT_MS = 60_000;
/** SLUICE_BENCH_SCALE_MAX caps every size (default and most 1,000), to run a shorter curve. */
const CAP = Math.min(1000, Math.max(10, Number(process.env.SLUICE_BENCH_SCALE_MAX ?? 1000) || 1000));

type Point = Readonly<{
  size: number;
  create: readonly number[];
  member: readonly number[];
  list: number;
  status: number;
  apiRss: number;
  agentRss: number;
  agentPss: number;
}>;

const sorted = (values: number[]) => values.sort((a, b) => a - b);

/** Times `count` sequential runs of `step` (ms, ascending). */
async function timed(count: number, step: (i: number) => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const start = performance.now();
    await step(i);
    times.push(performance.now() - start);
  }
  return sorted(times);
}

/** Deletes a load balancer with everything under it and waits (bounded) until the API answers 404. */
async function remove(api: BenchApi, id: string): Promise<void> {
  await api.call('DELETE', `/v2/lbaas/loadbalancers/${id}?cascade=true`);
  for (let i = 0; i < 1200; i += 1) {
    const gone = await api.call('GET', `/v2/lbaas/loadbalancers/${id}`).then(
      () => false,
      (error: Error) => error.message.includes(': 404 '),
    );
    if (gone) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`load balancer ${id} not deleted within 60 s`);
}

/** Creates load balancers, FILL_BATCH at a time, until `lbs` holds `size`. */
async function fill<T>(lbs: T[], size: number, create: () => Promise<T>): Promise<void> {
  while (lbs.length < size) {
    const batch = Math.min(FILL_BATCH, size - lbs.length);
    lbs.push(...(await Promise.all(Array.from({ length: batch }, create))));
  }
}

/** One curve: a fresh serve on `provider` (and `databaseUrl`, else SQLite), grown through `sizes`. */
async function curve(provider: string, sizes: readonly number[], databaseUrl?: string): Promise<Point[]> {
  const member = await backend('127.0.42.1');
  const env: Record<string, string> = {
    SLUICE_ADMIN_PASSWORD: PASSWORD,
    SLUICE_PROVIDER: provider,
    // With the default 2.5 s the agent, busy sending every load balancer's state on each change, was
    // declared dead at about 330 load balancers on this loaded machine and new ones went to ERROR.
    SLUICE_HEARTBEAT_TIMEOUT_MS: String(HEARTBEAT_TIMEOUT_MS),
  };
  if (databaseUrl) env.SLUICE_DATABASE_URL = databaseUrl;
  let server: ServeProcess | undefined;
  try {
    server = await startServe({ env });
    const api = await benchApi(server.url, PASSWORD);
    const body = httpLoadBalancerBody(api.subnet, provider, 80, [member]);
    const create = async (pollMs: number) => {
      const created = (await api.call('POST', '/v2/lbaas/loadbalancers', body)).loadbalancer;
      await api.waitActive(String(created.id), pollMs, CHANGE_TIMEOUT_MS);
      const pools = created.pools as { id: string }[];
      return { id: String(created.id), pool: pools[0].id };
    };
    const lbs: { id: string; pool: string }[] = [];
    const points: Point[] = [];
    for (const size of sizes) {
      const filled = await fill(lbs, size, () => create(50)).then(
        () => true,
        (error: Error) => {
          // A curve that cannot grow further says why and where, and keeps the sizes it measured.
          const warnings = (server?.output() ?? '').split('\n').filter((line) => /warn|error/i.test(line));
          console.log(
            `  ${provider}: stopped at ${lbs.length} load balancers on the way to ${size}: ${error.message}`,
          );
          for (const line of warnings.slice(-3)) console.log(`    serve: ${line.slice(0, 300)}`);
          return false;
        },
      );
      if (!filled) break;
      // Measured creates, one at a time, removed afterwards so the next figures are taken at `size`.
      const extra: string[] = [];
      const createTimes = await timed(SAMPLES, async () => extra.push((await create(POLL_MS)).id));
      for (const id of extra) await remove(api, id);
      // One member added to a different load balancer each time, on a port no other sample uses.
      const memberTimes = await timed(SAMPLES, async (i) => {
        const lb = lbs[i % lbs.length];
        const port = 20_000 + points.length * SAMPLES + i;
        await api.call('POST', `/v2/lbaas/pools/${lb.pool}/members`, {
          member: { address: '127.0.42.2', protocol_port: port },
        });
        await api.waitActive(lb.id, POLL_MS, CHANGE_TIMEOUT_MS);
      });
      const list = await timed(SAMPLES, () => api.call('GET', '/v2/lbaas/loadbalancers?limit=100'));
      const status = await timed(SAMPLES, (i) =>
        api.call('GET', `/v2/lbaas/loadbalancers/${lbs[i % lbs.length].id}/status`),
      );
      const plane = dataPlanePids(server.dataDir);
      const agentRoots = [
        ...(plane.agent === undefined ? [] : [plane.agent]),
        ...plane.native,
        ...plane.haproxy,
      ];
      points.push({
        size,
        create: createTimes,
        member: memberTimes,
        list: percentile(list, 50),
        status: percentile(status, 50),
        apiRss: rss(server.child.pid as number),
        agentRss: treeRss(agentRoots),
        agentPss: treePss(agentRoots),
      });
      console.log(`  … ${provider}: ${size} load balancers measured`);
    }
    return points;
  } finally {
    await server?.stop();
    member.close();
  }
}

function table(title: string, points: readonly Point[]): void {
  const base = points[0];
  if (base === undefined) return;
  const ms = (v: number) => `${v.toFixed(1)} ms`;
  const mb = (v: number) => `${(v / 2 ** 20).toFixed(2)} MiB`;
  const figures: [string, (p: Point) => number, (v: number) => string][] = [
    ['create → ACTIVE p50', (p) => percentile(p.create, 50), ms],
    ['create → ACTIVE p95', (p) => percentile(p.create, 95), ms],
    ['member add → ACTIVE p50', (p) => percentile(p.member, 50), ms],
    ['member add → ACTIVE p95', (p) => percentile(p.member, 95), ms],
    ['GET loadbalancers?limit=100 p50', (p) => p.list, ms],
    ['GET loadbalancers/{id}/status p50', (p) => p.status, ms],
    ['API RSS per load balancer', (p) => p.apiRss / p.size, mb],
    ['agent + data plane RSS per LB', (p) => p.agentRss / p.size, mb],
    ['agent + data plane PSS per LB', (p) => p.agentPss / p.size, mb],
    ['API RSS total', (p) => p.apiRss, mb],
    ['agent + data plane RSS total', (p) => p.agentRss, mb],
  ];
  console.log(`\n${title} (samples: ${SAMPLES} per figure; ratio to the figure at ${base.size} in brackets)`);
  console.log(['figure'.padEnd(34), ...points.map((p) => `${p.size} LBs`.padStart(24))].join(' | '));
  for (const [name, pick, unit] of figures) {
    const cells = points.map((p) => `${unit(pick(p))} (${(pick(p) / pick(base)).toFixed(2)}×)`.padStart(24));
    console.log([name.padEnd(34), ...cells].join(' | '));
  }
}

export async function scale(): Promise<void> {
  const start = performance.now();
  console.log(
    '\nscale (issue #18): one sluice serve, one local agent, each load balancer one HTTP listener, pool and member.' +
      '\nThis machine has 2 cores shared with other work: figures are noisy, compare ratios within one run.' +
      '\nGoal: create and member change at 1,000 within 1.2× of the figure at 10, p95 under 150 ms;' +
      ' haproxy provider at 200: a change applied in under 300 ms.' +
      `\nAgent heartbeat timeout raised to ${HEARTBEAT_TIMEOUT_MS} ms (default 2,500): it only decides when an agent counts as dead.`,
  );
  const sizes = (all: number[]) => all.filter((s) => s <= CAP);
  table('native provider, SQLite', await curve('native', sizes([10, 100, 250, 1000])));
  const postgres = process.env.SLUICE_BENCH_DATABASE_URL;
  if (postgres) {
    const schema = await freshPostgresSchema(postgres);
    try {
      table('native provider, PostgreSQL', await curve('native', sizes([10, 100, 250, 1000]), schema.url));
    } finally {
      await schema.drop();
    }
  } else
    console.log('\nPostgreSQL: skipped (set SLUICE_BENCH_DATABASE_URL=postgres://… to a database to use)');
  if (await haproxyInstalled()) table('haproxy provider, SQLite', await curve('haproxy', sizes([10, 200])));
  else console.log('\nhaproxy provider: skipped (haproxy is not installed)');
  await storeScale();
  console.log(`scale: ${((performance.now() - start) / 1000).toFixed(0)} s in all`);
}
