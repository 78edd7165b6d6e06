// The haproxy provider with a real HAProxy and real Node backends on 127.0.42.x: round robin, changes under a
// bounded request loop (no failed request, no reset), weight changes through the runtime API without a reload,
// and stats that survive reloads.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { DesiredLoadBalancer, DesiredMember } from '../../model/desired-state.ts';
import { HaproxyProvider } from './haproxy-provider.ts';
import { parseShowProc, socketCommand } from './haproxy-socket.ts';
import {
  type Backend,
  freePort,
  get,
  HAPROXY,
  httpBackend,
  listener,
  loadBalancer,
  member,
  pool,
  skipWithoutHaproxy,
} from './haproxy-test-fixtures.ts';

const VIP = '127.0.42.10';
const LB = 'lb-traffic';

describe('haproxy provider traffic', { skip: skipWithoutHaproxy }, () => {
  const runDir = path.join(os.tmpdir(), `sluice-hap-${process.pid}-traffic`);
  const provider = new HaproxyProvider({ runDir, haproxyBinary: HAPROXY });
  let backends: Backend[] = [];
  let port = 0;
  const doc = (members: DesiredMember[], revision: number, clientTimeout = 50000): DesiredLoadBalancer =>
    loadBalancer(
      LB,
      VIP,
      [
        listener('l1', port, {
          defaultPoolId: 'p1',
          timeouts: { clientData: clientTimeout, memberConnect: 5000, memberData: 50000, tcpInspect: 0 },
        }),
      ],
      [pool('p1', members)],
      { revision },
    );
  const m = (i: number, extra: Partial<DesiredMember> = {}) =>
    member(`m${i}`, backends[i].address, backends[i].port, extra);
  const names = async (n: number) => {
    const seen: Record<string, number> = {};
    for (let i = 0; i < n; i += 1) {
      const { body } = await get(VIP, port);
      seen[body] = (seen[body] ?? 0) + 1;
    }
    return seen;
  };
  const workers = async () =>
    parseShowProc(await socketCommand(path.join(runDir, LB, 'master.sock'), 'show proc'))?.workers;

  before(async () => {
    backends = await Promise.all(['a', 'b', 'c'].map((name, i) => httpBackend(name, `127.0.42.${i + 1}`)));
    port = await freePort(VIP);
  });
  after(async () => {
    await provider.close();
    await Promise.all(backends.map((b) => b.close()));
    fs.rmSync(runDir, { recursive: true, force: true });
  });

  it('spreads requests over two real backends in turn (ROUND_ROBIN)', async () => {
    await provider.apply(doc([m(0), m(1)], 1));
    assert.deepEqual(await names(10), { a: 5, b: 5 });
  });

  it('changes a member weight through the runtime API without reloading', async () => {
    const before = provider.runtimeInfo(LB)!;
    const workersBefore = await workers();
    await provider.apply(doc([m(0, { weight: 3 }), m(1)], 2));
    const info = provider.runtimeInfo(LB)!;
    assert.equal(info.reloads, before.reloads, 'no reload happened');
    assert.equal(info.runtimeUpdates, before.runtimeUpdates + 1);
    assert.deepEqual(await workers(), workersBefore, 'the same worker serves');
    const seen = await names(40);
    assert.ok(seen.a >= 28 && seen.b >= 8, JSON.stringify(seen));
    const config = fs.readFileSync(path.join(runDir, LB, 'haproxy.cfg'), 'utf8');
    assert.match(config, /server m0 \S+ weight 3/, 'the file agrees for the next reload');
  });

  it('applies 20 changes, member additions and reloads, with no failed request and no reset connection', async (t) => {
    const failures: string[] = [];
    let served = 0;
    let done = false;
    const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 2 });
    const loop = async (agent: http.Agent | false) => {
      const deadline = Date.now() + 30_000;
      while (!done && served < 20_000 && Date.now() < deadline) {
        const result = await request(agent).catch(
          (error: NodeJS.ErrnoException) => `${error.code ?? error.message}`,
        );
        if (result === 200) served += 1;
        else failures.push(String(result));
      }
    };
    const loops = [loop(keepAlive), loop(keepAlive), loop(false), loop(false)];
    const reloadsBefore = provider.runtimeInfo(LB)!.reloads;
    // First a member addition alone (runtime API), then changes that need a reload, with c joining and leaving.
    await provider.apply(doc([m(0, { weight: 3 }), m(1), m(2)], 3));
    for (let i = 1; i < 20; i += 1) {
      const members = i % 2 === 0 ? [m(0), m(1), m(2)] : [m(0), m(1)];
      await provider.apply(doc(members, 3 + i, 50000 + i));
    }
    done = true;
    await Promise.all(loops);
    keepAlive.destroy();
    t.diagnostic(`${served} requests served, ${failures.length} failed, during 20 changes`);
    assert.deepEqual(failures, []);
    assert.ok(served >= 40, `served ${served} requests during the changes`);
    assert.ok(provider.runtimeInfo(LB)!.reloads - reloadsBefore >= 18, 'the changes went through reloads');
  });

  it('keeps listener counters cumulative across reloads', async () => {
    const total = () => provider.report(LB)?.listeners.l1?.counters.totalConnections ?? 0;
    await new Promise((r) => setTimeout(r, 700));
    const start = total();
    await names(5);
    await provider.apply(doc([m(0), m(1)], 40, 40000));
    await names(5);
    await new Promise((r) => setTimeout(r, 700));
    assert.ok(total() >= start + 10, `totalConnections ${start} → ${total()}`);
  });

  function request(agent: http.Agent | false): Promise<number> {
    return new Promise((resolve, reject) => {
      const req = http.get({ host: VIP, port, path: '/', agent }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      });
      req.setTimeout(5000, () => req.destroy(new Error('client timeout')));
      req.on('error', reject);
    });
  }
});
