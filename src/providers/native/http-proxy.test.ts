// HTTP listeners by traffic: forwarding, keep-alive, X-Forwarded-* insertion, 503/400 and their counting.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { NativeProvider } from './native-provider.ts';
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
} from './native-test-fixtures.ts';

const VIP = '127.0.20.2';

describe('native provider, HTTP listeners', () => {
  const health = new ManualHealth();
  const provider = new NativeProvider({ healthFactory: () => health });
  let a: Backend;
  let echo: Backend;
  before(async () => {
    a = await httpBackend('127.0.11.1', 'a');
    echo = await httpBackend('127.0.11.2', 'echo', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        res.setHeader('x-member', 'echo');
        res.end(JSON.stringify({ method: req.method, url: req.url, body: Buffer.concat(chunks).toString() }));
      });
      return true;
    });
  });
  after(async () => {
    await provider.close();
    await a.close();
    await echo.close();
  });

  async function serve(members: ReturnType<typeof member>[], extra: Parameters<typeof listener>[1] = {}) {
    const port = await freePort(VIP);
    const p = pool(members);
    const lb = loadBalancer(VIP, [listener(port, { defaultPoolId: p.id, ...extra })], [p]);
    await provider.apply(lb);
    return { port, lb, p };
  }

  it('forwards method, path, query and body, and returns the member answer with its headers', async () => {
    const { port, lb } = await serve([member(echo.address, echo.port)]);
    const answer = await request(
      VIP,
      port,
      '/a/b?c=d',
      { 'content-type': 'text/plain' },
      { method: 'POST', body: 'payload' },
    );
    assert.equal(answer.status, 200);
    assert.equal(answer.headers['x-member'], 'echo');
    assert.deepEqual(JSON.parse(answer.body), { method: 'POST', url: '/a/b?c=d', body: 'payload' });
    await provider.remove(lb.id);
  });

  it('serves several requests on one kept-alive client connection', async () => {
    const { port, lb } = await serve([member(a.address, a.port)]);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    for (let i = 0; i < 5; i++) {
      const body = await new Promise<string>((resolve, reject) => {
        http
          .get({ host: VIP, port, agent }, (res) => {
            let text = '';
            res.on('data', (c) => {
              text += c;
            });
            res.on('end', () => resolve(text));
          })
          .on('error', reject);
      });
      assert.equal(body, 'a');
    }
    agent.destroy();
    const counters = provider.report(lb.id)?.listeners[lb.listeners[0].id].counters;
    assert.equal(counters?.totalConnections, 1);
    await provider.remove(lb.id);
  });

  it('inserts X-Forwarded-For, -Port and -Proto when their value is "true" in any case', async () => {
    const { port, lb } = await serve([member(a.address, a.port)], {
      insertHeaders: { 'X-Forwarded-For': 'TRUE', 'X-Forwarded-Port': 'true', 'X-Forwarded-Proto': 'True' },
    });
    a.seen.length = 0;
    await request(VIP, port, '/', { 'x-forwarded-for': '198.51.100.7' }, { localAddress: '127.0.30.9' });
    assert.equal(a.seen[0]['x-forwarded-for'], '198.51.100.7, 127.0.30.9');
    assert.equal(a.seen[0]['x-forwarded-port'], String(port));
    assert.equal(a.seen[0]['x-forwarded-proto'], 'http');
    assert.equal(a.seen[0].host, `${VIP}:${port}`);
    await provider.remove(lb.id);
  });

  it('leaves X-Forwarded-* alone when not asked or asked with "false"', async () => {
    const { port, lb } = await serve([member(a.address, a.port)], {
      insertHeaders: { 'X-Forwarded-For': 'false' },
    });
    a.seen.length = 0;
    await request(VIP, port);
    assert.equal(a.seen[0]['x-forwarded-for'], undefined);
    assert.equal(a.seen[0]['x-forwarded-port'], undefined);
    assert.equal(a.seen[0]['x-forwarded-proto'], undefined);
    await provider.remove(lb.id);
  });

  it('answers 503 with a small body when no member is up, and counts it as a request error', async () => {
    const m = member(a.address, a.port);
    const { port, lb, p } = await serve([m]);
    health.down.add(m.id);
    try {
      const answer = await request(VIP, port);
      assert.equal(answer.status, 503);
      assert.match(answer.body, /No server is available/);
      const report = provider.report(lb.id);
      assert.equal(report?.listeners[lb.listeners[0].id].counters.requestErrors, 1);
      assert.equal(report?.pools[p.id].status, 'DOWN');
      assert.equal(report?.pools[p.id].members[m.id], 'DOWN');
    } finally {
      health.down.delete(m.id);
    }
    assert.equal((await request(VIP, port)).status, 200);
    assert.equal(provider.report(lb.id)?.pools[p.id].members[m.id], 'no check');
    await provider.remove(lb.id);
  });

  it('answers 503 when the listener has no default pool', async () => {
    const port = await freePort(VIP);
    const lb = loadBalancer(VIP, [listener(port)], []);
    await provider.apply(lb);
    assert.equal((await request(VIP, port)).status, 503);
    await provider.remove(lb.id);
  });

  it('retries a refused member on another one, so the client never sees the failure', async () => {
    const deadPort = await freePort('127.0.11.3');
    const { port, lb } = await serve([member('127.0.11.3', deadPort), member(a.address, a.port)]);
    for (let i = 0; i < 6; i++) assert.equal((await request(VIP, port)).body, 'a');
    assert.equal(provider.report(lb.id)?.listeners[lb.listeners[0].id].counters.requestErrors, 0);
    await provider.remove(lb.id);
  });

  it('answers 400 to a malformed request and counts it as a request error', async () => {
    const { port, lb } = await serve([member(a.address, a.port)]);
    const net = await import('node:net');
    const reply = await new Promise<string>((resolve) => {
      const socket = net.connect(port, VIP, () => socket.write('NOT HTTP AT ALL\r\n\r\n'));
      let text = '';
      socket.on('data', (c) => {
        text += c;
      });
      socket.on('close', () => resolve(text));
      socket.on('error', () => {});
    });
    assert.match(reply, /^HTTP\/1\.1 400/);
    assert.equal(provider.report(lb.id)?.listeners[lb.listeners[0].id].counters.requestErrors, 1);
    await provider.remove(lb.id);
  });
});
