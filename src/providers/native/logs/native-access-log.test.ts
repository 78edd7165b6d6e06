// The native data plane's access log, through the provider: one line per HTTP request and per TCP connection.
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
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
  tcpBackend,
  tcpExchange,
} from '../native-test-fixtures.ts';

const VIP = '127.0.20.7';

/** Sends `count` requests on one kept-alive connection. */
async function keptAlive(port: number, paths: readonly string[]): Promise<void> {
  const socket = net.connect(port, VIP);
  socket.setEncoding('latin1');
  let text = '';
  socket.on('data', (c: string) => {
    text += c;
  });
  for (const path of paths) {
    const before = (text.match(/HTTP\/1\.1 /g) ?? []).length;
    socket.write(`GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`);
    while ((text.match(/HTTP\/1\.1 /g) ?? []).length === before)
      await new Promise((resolve) => socket.once('data', resolve));
  }
  socket.end();
  await new Promise((resolve) => socket.once('close', resolve));
}

describe('native provider, access log', () => {
  const health = new ManualHealth();
  const provider = new NativeProvider({ healthFactory: () => health });
  let web: Backend;
  let echo: Backend;
  before(async () => {
    web = await httpBackend('127.0.11.7', 'web', (req, res) => {
      if (!req.url?.startsWith('/missing')) return false;
      res.statusCode = 404;
      res.end('no');
      return true;
    });
    echo = await tcpBackend('127.0.11.8', 'echo');
  });
  after(async () => {
    await provider.close();
    await web.close();
    await echo.close();
  });

  it('writes one line per HTTP request with its status, pool and member, on kept-alive connections too', async () => {
    const port = await freePort(VIP);
    const p = pool([member(web.address, web.port)]);
    const l = listener(port, { defaultPoolId: p.id });
    const lb = loadBalancer(VIP, [l], [p]);
    await provider.apply(lb);
    assert.equal((await request(VIP, port, '/a')).status, 200);
    assert.equal((await request(VIP, port, '/missing')).status, 404);
    await keptAlive(port, ['/b', '/missing/c', '/d']);
    const batch = provider.drainLogs(lb.id, 100);
    assert.equal(batch?.dropped, 0);
    const lines = batch?.lines ?? [];
    assert.equal(lines.length, 5);
    const fields = lines.map((line) => line.split(' '));
    assert.deepEqual(
      fields.map((f) => [f[0], f[1], f[5], f[6], f[7]]),
      [
        [l.id, '127.0.0.1', '/a', 'HTTP/1.1"', '200'],
        [l.id, '127.0.0.1', '/missing', 'HTTP/1.1"', '404'],
        [l.id, '127.0.0.1', '/b', 'HTTP/1.1"', '200'],
        [l.id, '127.0.0.1', '/missing/c', 'HTTP/1.1"', '404'],
        [l.id, '127.0.0.1', '/d', 'HTTP/1.1"', '200'],
      ],
    );
    for (const f of fields) {
      assert.equal(f[4], '"GET');
      assert.ok(Number(f[8]) > 0, 'bytes sent to the client');
      assert.ok(Number(f[9]) > 0, 'bytes received from the client');
      assert.deepEqual(f.slice(10, 14), ['-', '""', p.id, p.members[0].id]);
      assert.equal(f[15], '----');
    }
    assert.deepEqual(provider.drainLogs(lb.id, 100), { lines: [], dropped: 0 });
    await provider.remove(lb.id);
  });

  it("logs the proxy's own 503 when no member is up, with no member", async () => {
    const port = await freePort(VIP);
    const m = member(web.address, web.port);
    const p = pool([m]);
    const lb = loadBalancer(VIP, [listener(port, { defaultPoolId: p.id })], [p]);
    await provider.apply(lb);
    health.down.add(m.id);
    try {
      assert.equal((await request(VIP, port)).status, 503);
    } finally {
      health.down.delete(m.id);
    }
    const [line] = provider.drainLogs(lb.id, 100)?.lines ?? [];
    assert.match(line ?? '', new RegExp(` "GET / HTTP/1.1" 503 \\d+ \\d+ - "" ${p.id} - \\d+ SC--$`));
    await provider.remove(lb.id);
  });

  it('writes one line per TCP connection when it closes, with - for the HTTP fields', async () => {
    const port = await freePort(VIP);
    const p = pool([member(echo.address, echo.port)], { protocol: 'TCP' });
    const l = listener(port, { protocol: 'TCP', defaultPoolId: p.id });
    const lb = loadBalancer(VIP, [l], [p]);
    await provider.apply(lb);
    assert.equal(await tcpExchange(VIP, port, 'hello'), 'echo\nhello');
    let lines: readonly string[] = [];
    // The line is written when the proxy sees the close: poll for it (bounded).
    for (let i = 0; i < 100 && lines.length === 0; i++) {
      lines = provider.drainLogs(lb.id, 100)?.lines ?? [];
      if (lines.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.equal(lines.length, 1);
    const f = (lines[0] ?? '').split(' ');
    assert.deepEqual([f[0], f[1], f[4], f[5], f[6], f[7]], [l.id, '127.0.0.1', '-', '-', '10', '5']);
    assert.deepEqual(f.slice(8, 12), ['-', '""', p.id, p.members[0].id]);
    assert.equal(f[13], '----');
    await provider.remove(lb.id);
  });

  it("writes nothing with connection logging off (Octavia's connection_logging = False)", async () => {
    const quiet = new NativeProvider({ healthFactory: () => health, connectionLogging: false });
    try {
      const port = await freePort(VIP);
      const p = pool([member(web.address, web.port)]);
      const lb = loadBalancer(VIP, [listener(port, { defaultPoolId: p.id })], [p]);
      await quiet.apply(lb);
      assert.equal((await request(VIP, port, '/a')).status, 200);
      assert.equal(quiet.drainLogs(lb.id, 100), undefined);
    } finally {
      await quiet.close();
    }
  });
});
