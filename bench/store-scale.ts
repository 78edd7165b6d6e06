// Issue #18's store figures (part of `npm run bench -- scale`): with 10,000 load balancers in a PostgreSQL store
// (SLUICE_BENCH_DATABASE_URL), a listing page (`limit=100`) and one load balancer's status tree through the
// API. The rows are written straight through the repositories (noop provider, nothing to apply): what is
// measured is reading them back, not creating them.
import { performance } from 'node:perf_hooks';
import { openStore } from '../src/store/database.ts';
import { insertBareLoadBalancer, insertPoolWithMembers } from '../test/helpers/member-rows.ts';
import { type ServeProcess, startServe } from '../test/helpers/serve-process.ts';
import { freshPostgresSchema } from '../test/helpers/store-dialects.ts';
import { percentile } from './bench-fixtures.ts';
import { benchApi } from './throughput-kit.ts';

const PASSWORD = 'bench-password';
const LOAD_BALANCERS = 10_000;
const SAMPLES = 20;
/** Load balancers written at once while filling. */
const FILL_BATCH = 20;
const LIST_GOAL_MS = 50;
const STATUS_GOAL_MS = 20;

async function timedMs(step: (i: number) => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < SAMPLES; i += 1) {
    const start = performance.now();
    await step(i);
    times.push(performance.now() - start);
  }
  return percentile(
    times.sort((a, b) => a - b),
    50,
  );
}

export async function storeScale(): Promise<void> {
  const url = process.env.SLUICE_BENCH_DATABASE_URL;
  console.log(`\nstore (issue #18): ${LOAD_BALANCERS} load balancers on PostgreSQL, read through the API`);
  if (!url) {
    console.log('  skipped (set SLUICE_BENCH_DATABASE_URL=postgres://… to a database to use)');
    return;
  }
  const schema = await freshPostgresSchema(url);
  let server: ServeProcess | undefined;
  try {
    server = await startServe({
      env: { SLUICE_ADMIN_PASSWORD: PASSWORD, SLUICE_DATABASE_URL: schema.url, SLUICE_PROVIDER: 'noop' },
    });
    const api = await benchApi(server.url, PASSWORD);
    const store = await openStore(schema.url);
    const started = performance.now();
    const ids = Array.from({ length: LOAD_BALANCERS }, (_, i) => `lb-${String(i).padStart(5, '0')}`);
    try {
      for (let i = 0; i < ids.length; i += FILL_BATCH) {
        await Promise.all(
          ids.slice(i, i + FILL_BATCH).map(async (id) => {
            await insertBareLoadBalancer(store.db, id);
            await insertPoolWithMembers(store.db, id, `${id}-pool`, 1);
          }),
        );
      }
    } finally {
      await store.close();
    }
    console.log(`  filled in ${((performance.now() - started) / 1000).toFixed(0)} s`);
    const list = await timedMs(() => api.call('GET', '/v2/lbaas/loadbalancers?limit=100'));
    const deep = await timedMs(() =>
      api.call('GET', `/v2/lbaas/loadbalancers?limit=100&marker=${ids[5000]}`),
    );
    const status = await timedMs((i) => api.call('GET', `/v2/lbaas/loadbalancers/${ids[i * 487]}/status`));
    const row = (name: string, ms: number, goal: number) =>
      console.log(`  ${name.padEnd(52)} ${`${ms.toFixed(1)} ms`.padStart(9)}  (goal: under ${goal} ms)`);
    row('GET loadbalancers?limit=100 p50', list, LIST_GOAL_MS);
    row('GET loadbalancers?limit=100&marker=<5,000th> p50', deep, LIST_GOAL_MS);
    row('GET loadbalancers/{id}/status p50', status, STATUS_GOAL_MS);
  } finally {
    await server?.stop();
    await schema.drop();
  }
}
