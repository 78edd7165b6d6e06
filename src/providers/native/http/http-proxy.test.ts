// HTTP listeners by traffic: forwarding, keep-alive, X-Forwarded-* insertion, 503/400 and their counting.
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { policy, rule } from '../../desired-test-builders.ts';
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

const VIP = '127.0.20.2';

/** Writes `text` on a new connection and reads until the proxy closes it. */
function rawExchange(port: number, text: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, VIP, () => socket.write(text, 'latin1'));
    let reply = '';
    socket.setEncoding('latin1');
    socket.on('data', (c: string) => {
      reply += c;
    });
    socket.on('close', () => resolve(reply));
    socket.on('error', () => {});
  });
}

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

  it('routes an absolute-form request by the authority of its target, which the member gets as Host', async () => {
    // RFC 9112 §3.2.2: the target's authority wins over the Host field, for HOST_NAME rules and the member.
    const toEcho = pool([member(echo.address, echo.port)]);
    const byHost = policy(
      'policy-absolute',
      [rule('rule-absolute', { type: 'HOST_NAME', compareType: 'EQUAL_TO', value: 'b.example' })],
      {
        action: 'REDIRECT_TO_POOL',
        redirectPoolId: toEcho.id,
      },
    );
    const port = await freePort(VIP);
    const toA = pool([member(a.address, a.port)]);
    const lb = loadBalancer(
      VIP,
      [listener(port, { defaultPoolId: toA.id, l7policies: [byHost] })],
      [toA, toEcho],
    );
    await provider.apply(lb);
    echo.seen.length = 0;
    const reply = await rawExchange(
      port,
      'GET http://b.example/x HTTP/1.1\r\nHost: a.example\r\nConnection: close\r\n\r\n',
    );
    assert.match(reply, /^HTTP\/1\.1 200 [\s\S]*"url":"http:\/\/b\.example\/x"/);
    assert.equal(echo.seen[0].host, 'b.example');
    const plain = await rawExchange(port, 'GET /x HTTP/1.1\r\nHost: b.example\r\nConnection: close\r\n\r\n');
    assert.match(plain, /"url":"\/x"/, 'an origin-form request routes by its Host');
    const other = await rawExchange(
      port,
      'GET http://c.example/x HTTP/1.1\r\nHost: b.example\r\nConnection: close\r\n\r\n',
    );
    assert.match(other, /\r\n\r\na$/, 'the Host field is not what routes an absolute-form request');
    await provider.remove(lb.id);
  });

  it('answers 400 to a malformed request and counts it as a request error', async () => {
    const { port, lb } = await serve([member(a.address, a.port)]);
    const reply = await rawExchange(port, 'NOT HTTP AT ALL\r\n\r\n');
    assert.match(reply, /^HTTP\/1\.1 400/);
    assert.equal(provider.report(lb.id)?.listeners[lb.listeners[0].id].counters.requestErrors, 1);
    await provider.remove(lb.id);
  });
});
