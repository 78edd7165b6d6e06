// `/healthz` of a real API on a real PostgreSQL (issue #16): 200 while the store answers, 503 with the reason
// while the link to the store is cut (a TCP relay in front of PostgreSQL, closed and reopened), and 200 again
// once it is back: what systemd and orchestrators probe.
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { openStore, type Store } from '../../src/store/database.ts';
import { freshPostgresSchema } from '../helpers/store-dialects.ts';
import { startTestApi, type TestApi } from '../helpers/test-api.ts';

const databaseUrl = process.env.SLUICE_TEST_DATABASE_URL;

/** A TCP relay to `target` on a fixed local port that can be cut (every connection reset) and restored. */
async function cuttableRelay(target: { host: string; port: number }) {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    for (const [a, b] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      sockets.add(a);
      a.on('error', () => b.destroy());
      a.on('close', () => {
        sockets.delete(a);
        b.destroy();
      });
      a.pipe(b);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    cut: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
    restore: () => new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve)),
    close: () =>
      new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve())),
  };
}

describe('/healthz on PostgreSQL', {
  skip: databaseUrl ? false : 'SLUICE_TEST_DATABASE_URL is not set',
}, () => {
  let schema: { url: string; drop(): Promise<void> };
  let relay: Awaited<ReturnType<typeof cuttableRelay>>;
  let store: Store;
  let api: TestApi;

  before(async () => {
    schema = await freshPostgresSchema(databaseUrl as string);
    const url = new URL(schema.url);
    relay = await cuttableRelay({ host: url.hostname, port: Number(url.port || 5432) });
    url.host = `127.0.0.1:${relay.port}`;
    store = await openStore(url.toString());
    api = await startTestApi({ store });
  });
  after(async () => {
    await relay.restore().catch(() => {});
    await api.close();
    await relay.close();
    await schema.drop();
  });

  it('answers 200 while the store answers, 503 with the reason while it is cut off, and 200 once it is back', async () => {
    assert.equal((await api.call('GET', '/healthz')).statusCode, 200);
    await relay.cut();
    const cut = await api.call('GET', '/healthz');
    assert.equal(cut.statusCode, 503);
    const body = cut.json() as { status: string; reason: string };
    assert.equal(body.status, 'unavailable');
    assert.match(body.reason, /^store (unreachable: .+|did not answer within 1000 ms)$/);
    await relay.restore();
    assert.equal((await api.call('GET', '/readyz')).statusCode, 200);
  });
});
