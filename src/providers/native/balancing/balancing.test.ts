// Balancing by traffic: each algorithm's distribution, weights, drain (weight 0), backups, admin down.
import assert from 'node:assert/strict';
import type http from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { DesiredMember, DesiredPool } from '../../../model/desired-state.ts';
import { NativeProvider } from '../native-provider.ts';
import {
  type Backend,
  freePort,
  httpBackend,
  listener,
  loadBalancer,
  ManualHealth,
  member,
  pool,
  request,
} from '../native-test-fixtures.ts';

const VIP = '127.0.20.3';

describe('native provider, balancing algorithms by traffic', () => {
  const health = new ManualHealth();
  const provider = new NativeProvider({ healthFactory: () => health });
  const held: http.ServerResponse[] = [];
  let a: Backend;
  let b: Backend;
  let c: Backend;
  const holding = (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (req.url !== '/hold') return false;
    held.push(res);
    return true;
  };
  before(async () => {
    a = await httpBackend('127.0.12.1', 'a', holding);
    b = await httpBackend('127.0.12.2', 'b', holding);
    c = await httpBackend('127.0.12.3', 'c', holding);
  });
  after(async () => {
    await provider.close();
    await Promise.all([a.close(), b.close(), c.close()]);
  });

  async function serve(members: DesiredMember[], extra: Partial<DesiredPool> = {}) {
    const port = await freePort(VIP);
    const p = pool(members, extra);
    const lb = loadBalancer(VIP, [listener(port, { defaultPoolId: p.id })], [p]);
    await provider.apply(lb);
    const count = async (n: number, localAddress?: (i: number) => string) => {
      const seen: Record<string, number> = {};
      for (let i = 0; i < n; i++) {
        const { body } = await request(VIP, port, '/', {}, { localAddress: localAddress?.(i) });
        seen[body] = (seen[body] ?? 0) + 1;
      }
      return seen;
    };
    return { port, lb, p, count };
  }

  it('ROUND_ROBIN follows the weights exactly over a full cycle', async () => {
    const { lb, count } = await serve([member(a.address, a.port, { weight: 3 }), member(b.address, b.port)]);
    assert.deepEqual(await count(40), { a: 30, b: 10 });
    await provider.remove(lb.id);
  });

  it('gives a weight-0 member no new sessions and reports it DRAIN', async () => {
    const drained = member(b.address, b.port, { weight: 0 });
    const { lb, p, count } = await serve([member(a.address, a.port), drained]);
    assert.deepEqual(await count(6), { a: 6 });
    assert.equal(provider.report(lb.id)?.pools[p.id].members[drained.id], 'DRAIN');
    await provider.remove(lb.id);
  });

  it('never picks an admin-down member and uses backups only when no primary is up', async () => {
    const primary = member(a.address, a.port);
    const off = member(b.address, b.port, { adminStateUp: false });
    const { lb, count } = await serve([primary, off, member(c.address, c.port, { backup: true })]);
    assert.deepEqual(await count(4), { a: 4 });
    health.down.add(primary.id);
    try {
      assert.deepEqual(await count(4), { c: 4 });
    } finally {
      health.down.delete(primary.id);
    }
    assert.deepEqual(await count(2), { a: 2 });
    await provider.remove(lb.id);
  });

  it('LEAST_CONNECTIONS sends new sessions away from a busy member and alternates on ties', async () => {
    const { port, lb, count } = await serve([member(a.address, a.port), member(b.address, b.port)], {
      lbAlgorithm: 'LEAST_CONNECTIONS',
    });
    const busy = request(VIP, port, '/hold');
    for (let i = 0; i < 50 && held.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(held.length, 1);
    const other = (await request(VIP, port)).body;
    assert.deepEqual(await count(4), { [other]: 4 });
    held.shift()?.end('held');
    assert.equal((await busy).body, 'held');
    const tie = await count(4);
    assert.deepEqual(tie, { a: 2, b: 2 });
    await provider.remove(lb.id);
  });

  it('SOURCE_IP keeps each client address on one member and spreads addresses over members', async () => {
    const { lb, count } = await serve(
      [member(a.address, a.port), member(b.address, b.port), member(c.address, c.port)],
      {
        lbAlgorithm: 'SOURCE_IP',
      },
    );
    assert.equal(Object.keys(await count(5, () => '127.0.41.7')).length, 1);
    const spread = await count(30, (i) => `127.0.42.${i + 1}`);
    assert.ok(Object.keys(spread).length >= 2, JSON.stringify(spread));
    await provider.remove(lb.id);
  });

  it('SOURCE_IP_PORT spreads one client address over members by its source port', async () => {
    const { lb, count } = await serve(
      [member(a.address, a.port), member(b.address, b.port), member(c.address, c.port)],
      {
        lbAlgorithm: 'SOURCE_IP_PORT',
      },
    );
    const spread = await count(30, () => '127.0.43.1');
    assert.ok(Object.keys(spread).length >= 2, JSON.stringify(spread));
    await provider.remove(lb.id);
  });
});
