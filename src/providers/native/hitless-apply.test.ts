// Hitless apply: no failed request over 20 changes under load, in-flight work finishes on its config,
// only moved listeners re-bind, removed listeners drain.
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { DesiredLoadBalancer } from '../../model/desired-state.ts';
import { NativeProvider } from './native-provider.ts';
import {
  type Backend,
  freePort,
  httpBackend,
  listener,
  loadBalancer,
  member,
  pool,
  request,
  tcpBackend,
} from './native-test-fixtures.ts';

const VIP = '127.0.20.5';

function get(port: number, agent: http.Agent, path = '/'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: VIP, port, path, agent }, (res) => {
      let body = '';
      res.on('data', (c) => {
        body += c;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.setTimeout(5000, () => req.destroy(new Error('client timeout')));
    req.on('error', reject);
  });
}

describe('native provider, hitless configuration changes', () => {
  const provider = new NativeProvider();
  const held: http.ServerResponse[] = [];
  let a: Backend;
  let b: Backend;
  let c: Backend;
  before(async () => {
    const hold = (req: http.IncomingMessage, res: http.ServerResponse) => {
      if (req.url !== '/hold') return false;
      held.push(res);
      return true;
    };
    a = await httpBackend('127.0.14.1', 'a', hold);
    b = await httpBackend('127.0.14.2', 'b', hold);
    c = await httpBackend('127.0.14.3', 'c', hold);
  });
  after(async () => {
    await provider.close();
    await Promise.all([a.close(), b.close(), c.close()]);
  });

  it('serves every request of a client loop while 20 changes are applied', async () => {
    const port = await freePort(VIP);
    const ma = member(a.address, a.port);
    const mb = member(b.address, b.port);
    const mc = member(c.address, c.port);
    const p = pool([ma, mb]);
    const l = listener(port, { defaultPoolId: p.id });
    let lb: DesiredLoadBalancer = loadBalancer(VIP, [l], [p]);
    await provider.apply(lb);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
    let stop = false;
    const failures: string[] = [];
    let done = 0;
    const deadline = Date.now() + 30_000;
    const worker = async () => {
      for (let i = 0; i < 2000 && !stop && Date.now() < deadline; i++) {
        try {
          const answer = await get(port, agent);
          if (answer.status !== 200) failures.push(`${answer.status} ${answer.body}`);
        } catch (error) {
          failures.push(String(error));
        }
        done++;
      }
    };
    const workers = [worker(), worker(), worker(), worker()];
    const variants = [
      () => pool([ma, mb, mc], { id: p.id }),
      () => pool([{ ...ma, weight: 5 }, mc], { id: p.id }),
      () => pool([mb], { id: p.id, lbAlgorithm: 'LEAST_CONNECTIONS' }),
      () =>
        pool([ma, { ...mb, weight: 0 }, mc], {
          id: p.id,
          sessionPersistence: {
            type: 'HTTP_COOKIE',
            cookieName: null,
            persistenceTimeout: null,
            persistenceGranularity: null,
          },
        }),
    ];
    for (let revision = 2; revision <= 21; revision++) {
      const next = variants[revision % variants.length]();
      const headers: Record<string, string> = revision % 2 ? { 'X-Forwarded-For': 'true' } : {};
      lb = { ...lb, revision, pools: [next], listeners: [{ ...l, insertHeaders: headers }] };
      await provider.apply(lb);
      await new Promise((r) => setTimeout(r, 30));
    }
    stop = true;
    await Promise.all(workers);
    agent.destroy();
    assert.deepEqual(failures, []);
    assert.ok(done >= 20, `only ${done} requests ran`);
    await provider.remove(lb.id);
  });

  it('finishes an in-flight request on the member it started with after that member is removed', async () => {
    const port = await freePort(VIP);
    const ma = member(a.address, a.port);
    const p = pool([ma]);
    const lb = loadBalancer(VIP, [listener(port, { defaultPoolId: p.id })], [p]);
    await provider.apply(lb);
    const inFlight = request(VIP, port, '/hold');
    for (let i = 0; i < 50 && held.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    await provider.apply({ ...lb, revision: 2, pools: [{ ...p, members: [member(b.address, b.port)] }] });
    assert.equal((await request(VIP, port)).body, 'b');
    held.shift()?.end('from a');
    assert.deepEqual((await inFlight).body, 'from a');
    await provider.remove(lb.id);
  });

  it('re-binds only the listener whose port changed; the other keeps its connections', async () => {
    const [p1, p2, p3] = [await freePort(VIP), await freePort(VIP), await freePort(VIP)];
    const p = pool([member(a.address, a.port)]);
    const l1 = listener(p1, { defaultPoolId: p.id });
    const l2 = listener(p2, { defaultPoolId: p.id });
    const lb = loadBalancer(VIP, [l1, l2], [p]);
    await provider.apply(lb);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    assert.equal((await get(p1, agent)).body, 'a');
    const socketsBefore = Object.values(agent.freeSockets).flat();
    await provider.apply({ ...lb, revision: 2, listeners: [l1, { ...l2, protocolPort: p3 }] });
    assert.equal((await get(p1, agent)).body, 'a');
    assert.deepEqual(
      Object.values(agent.freeSockets).flat(),
      socketsBefore,
      'the client connection was kept',
    );
    assert.equal((await request(VIP, p3)).body, 'a');
    await assert.rejects(request(VIP, p2), /ECONNREFUSED/);
    const listeners = provider.report(lb.id)?.listeners;
    assert.equal(listeners?.[l1.id].counters.totalConnections, 1, 'one kept-alive connection');
    assert.equal(
      listeners?.[l2.id].counters.totalConnections,
      1,
      'counters follow the listener across re-binds',
    );
    agent.destroy();
    await provider.remove(lb.id);
  });

  it('lets an open TCP connection of a removed listener finish while refusing new ones', async () => {
    const echo = await tcpBackend('127.0.14.4', 'e');
    const port = await freePort(VIP);
    const p = pool([member(echo.address, echo.port)], { protocol: 'TCP' });
    const lb = loadBalancer(VIP, [listener(port, { protocol: 'TCP', defaultPoolId: p.id })], [p]);
    await provider.apply(lb);
    const socket = net.connect(port, VIP);
    socket.setEncoding('utf8');
    let text = '';
    socket.on('data', (chunk) => {
      text += chunk;
    });
    socket.write('one');
    for (let i = 0; i < 50 && text !== 'e\none'; i++) await new Promise((r) => setTimeout(r, 20));
    await provider.apply({ ...lb, revision: 2, listeners: [] });
    await assert.rejects(request(VIP, port), /ECONNREFUSED/);
    socket.write('two');
    for (let i = 0; i < 50 && text !== 'e\nonetwo'; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(text, 'e\nonetwo');
    socket.destroy();
    await provider.remove(lb.id);
    await echo.close();
  });
});
