// connection_limit (FULL), allowed_cidrs, client idle and member data timeouts, retries exhausted.
import assert from 'node:assert/strict';
import type http from 'node:http';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_TIMEOUTS } from '../../model/desired-state.ts';
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
  tcpExchange,
} from './native-test-fixtures.ts';

const VIP = '127.0.20.7';

/** Connects and resolves with the socket once the member greeting arrived, or null if closed first. */
function greeted(port: number, localAddress?: string): Promise<net.Socket | null> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: VIP, localAddress });
    socket.on('error', () => {});
    socket.once('data', () => resolve(socket));
    socket.once('close', () => resolve(null));
  });
}

describe('native provider, limits, timeouts and allowed CIDRs', () => {
  const provider = new NativeProvider();
  const held: http.ServerResponse[] = [];
  let echo: Backend;
  let web: Backend;
  before(async () => {
    echo = await tcpBackend('127.0.16.1', 'e');
    web = await httpBackend('127.0.16.2', 'w', (req, res) => {
      if (req.url === '/hold') {
        held.push(res);
        return true;
      }
      // Ten chunks 100 ms apart: a response that keeps flowing for a second.
      if (req.url === '/trickle') {
        let sent = 0;
        const timer = setInterval(() => {
          res.write(`${sent}`);
          if (++sent === 10) {
            clearInterval(timer);
            res.end();
          }
        }, 100);
        return true;
      }
      // Silent for 600 ms, then the answer.
      if (req.url === '/slow') {
        setTimeout(() => res.end('slow'), 600);
        return true;
      }
      return false;
    });
  });
  after(async () => {
    await provider.close();
    for (const res of held) res.destroy();
    await echo.close();
    await web.close();
  });

  it('refuses connections over connection_limit and reports the listener FULL meanwhile', async () => {
    const port = await freePort(VIP);
    const p = pool([member(echo.address, echo.port)], { protocol: 'TCP' });
    const l = listener(port, { protocol: 'TCP', defaultPoolId: p.id, connectionLimit: 2 });
    const lb = loadBalancer(VIP, [l], [p]);
    await provider.apply(lb);
    const first = await greeted(port);
    const second = await greeted(port);
    assert.ok(first && second);
    assert.equal(provider.report(lb.id)?.listeners[l.id].status, 'FULL');
    assert.equal(await greeted(port), null);
    first.destroy();
    for (let i = 0; i < 50 && provider.report(lb.id)?.listeners[l.id].status === 'FULL'; i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.equal(provider.report(lb.id)?.listeners[l.id].status, 'OPEN');
    const third = await greeted(port);
    assert.ok(third);
    second.destroy();
    third.destroy();
    await provider.remove(lb.id);
  });

  it('accepts only clients inside allowed_cidrs', async () => {
    const port = await freePort(VIP);
    const p = pool([member(echo.address, echo.port)], { protocol: 'TCP' });
    const l = listener(port, {
      protocol: 'TCP',
      defaultPoolId: p.id,
      allowedCidrs: ['127.0.45.0/24', '2001:db8::/32'],
    });
    const lb = loadBalancer(VIP, [l], [p]);
    await provider.apply(lb);
    assert.equal(await tcpExchange(VIP, port, 'x', { localAddress: '127.0.45.9' }), 'e\nx');
    assert.equal(await tcpExchange(VIP, port, 'x', { localAddress: '127.0.46.9', ms: 2000 }), '');
    await provider.remove(lb.id);
  });

  it('closes a TCP session idle longer than timeout_client_data', async () => {
    const port = await freePort(VIP);
    const p = pool([member(echo.address, echo.port)], { protocol: 'TCP' });
    const timeouts = { ...DEFAULT_TIMEOUTS, clientData: 300 };
    const lb = loadBalancer(VIP, [listener(port, { protocol: 'TCP', defaultPoolId: p.id, timeouts })], [p]);
    await provider.apply(lb);
    const started = Date.now();
    // tcpExchange only stops early when the proxy closes the connection
    assert.equal(await tcpExchange(VIP, port, 'x', { ms: 5000 }), 'e\nx');
    assert.ok(Date.now() - started < 4000);
    await provider.remove(lb.id);
  });

  it('answers 504 when the member stays silent past timeout_member_data', async () => {
    const port = await freePort(VIP);
    const p = pool([member(web.address, web.port)]);
    const timeouts = { ...DEFAULT_TIMEOUTS, memberData: 300 };
    const lb = loadBalancer(VIP, [listener(port, { defaultPoolId: p.id, timeouts })], [p]);
    await provider.apply(lb);
    const answer = await request(VIP, port, '/hold');
    assert.equal(answer.status, 504);
    assert.equal(provider.report(lb.id)?.listeners[lb.listeners[0].id].counters.requestErrors, 1);
    await provider.remove(lb.id);
  });

  it('does not cut a response that keeps flowing longer than timeout_client_data and timeout_member_data', async () => {
    const port = await freePort(VIP);
    const p = pool([member(web.address, web.port)]);
    const timeouts = { ...DEFAULT_TIMEOUTS, clientData: 300, memberData: 300 };
    const lb = loadBalancer(VIP, [listener(port, { defaultPoolId: p.id, timeouts })], [p]);
    await provider.apply(lb);
    const answer = await request(VIP, port, '/trickle');
    assert.equal(answer.status, 200);
    assert.equal(answer.body, '0123456789');
    await provider.remove(lb.id);
  });

  it('keeps a client waiting on a slow member past timeout_client_data, within timeout_member_data', async () => {
    const port = await freePort(VIP);
    const p = pool([member(web.address, web.port)]);
    const timeouts = { ...DEFAULT_TIMEOUTS, clientData: 300, memberData: 2000 };
    const lb = loadBalancer(VIP, [listener(port, { defaultPoolId: p.id, timeouts })], [p]);
    await provider.apply(lb);
    const answer = await request(VIP, port, '/slow');
    assert.equal(answer.status, 200);
    assert.equal(answer.body, 'slow');
    await provider.remove(lb.id);
  });

  it('closes a kept-alive HTTP client connection idle longer than timeout_client_data after its response', async () => {
    const port = await freePort(VIP);
    const p = pool([member(web.address, web.port)]);
    const timeouts = { ...DEFAULT_TIMEOUTS, clientData: 300 };
    const lb = loadBalancer(VIP, [listener(port, { defaultPoolId: p.id, timeouts })], [p]);
    await provider.apply(lb);
    const { answeredAt, closedAt } = await new Promise<{ answeredAt: number; closedAt: number }>(
      (resolve) => {
        const socket = net.connect({ host: VIP, port });
        let answeredAt = 0;
        const timer = setTimeout(() => socket.destroy(), 5000);
        socket.on('error', () => {});
        socket.once('data', () => {
          answeredAt = Date.now();
        });
        socket.on('close', () => {
          clearTimeout(timer);
          resolve({ answeredAt, closedAt: Date.now() });
        });
        // The slow answer takes longer than the timeout: the quiet period starts after it, not before.
        socket.write(`GET /slow HTTP/1.1\r\nHost: x\r\n\r\n`);
      },
    );
    assert.ok(answeredAt > 0, 'answered');
    const idle = closedAt - answeredAt;
    assert.ok(idle >= 250 && idle < 2000, `closed ${idle} ms after the response`);
    await provider.remove(lb.id);
  });

  it('answers 503 when every member refuses, after the retries', async () => {
    const port = await freePort(VIP);
    const dead = [await freePort('127.0.16.3'), await freePort('127.0.16.4')];
    const p = pool([member('127.0.16.3', dead[0]), member('127.0.16.4', dead[1])]);
    const lb = loadBalancer(VIP, [listener(port, { defaultPoolId: p.id })], [p]);
    await provider.apply(lb);
    assert.equal((await request(VIP, port)).status, 503);
    await provider.remove(lb.id);
  });
});
