// TCP and HTTPS pass-through listeners by traffic, admin state, bind failures, unsupported options.
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { NativeProvider } from '../native-provider.ts';
import {
  type Backend,
  freePort,
  listener,
  loadBalancer,
  member,
  pool,
  tcpBackend,
  tcpExchange,
} from '../native-test-fixtures.ts';
import { unsupportedOptions } from '../unsupported-options.ts';

const VIP = '127.0.20.1';

describe('native provider, TCP listeners', () => {
  const provider = new NativeProvider();
  let a: Backend;
  let b: Backend;
  before(async () => {
    a = await tcpBackend('127.0.10.1', 'a');
    b = await tcpBackend('127.0.10.2', 'b');
  });
  after(async () => {
    await provider.close();
    await a.close();
    await b.close();
  });

  it('splices bytes both ways between the client and a member', async () => {
    const port = await freePort(VIP);
    const p = pool([member(a.address, a.port)], { protocol: 'TCP' });
    const lb = loadBalancer(VIP, [listener(port, { protocol: 'TCP', defaultPoolId: p.id })], [p]);
    await provider.apply(lb);
    assert.equal(await tcpExchange(VIP, port, 'hello'), 'a\nhello');
    const stats = provider.report(lb.id)?.listeners[lb.listeners[0].id].counters;
    assert.equal(stats?.totalConnections, 1);
    assert.equal(stats?.bytesIn, 5);
    assert.equal(stats?.bytesOut, 7);
    await provider.remove(lb.id);
  });

  it('passes on a half-close the client sent before its member was connected', async () => {
    const port = await freePort(VIP);
    const p = pool([member(a.address, a.port)], { protocol: 'TCP' });
    const lb = loadBalancer(VIP, [listener(port, { protocol: 'TCP', defaultPoolId: p.id })], [p]);
    await provider.apply(lb);
    // The echo member ends its side when the client's end reaches it: the exchange closes long before 3 s.
    const started = Date.now();
    const answer = await new Promise<string>((resolve) => {
      const socket = net.connect({ host: VIP, port, allowHalfOpen: true });
      let text = '';
      const timer = setTimeout(() => socket.destroy(), 3000);
      socket.setEncoding('utf8');
      socket.on('data', (chunk) => {
        text += chunk;
      });
      socket.on('end', () => socket.end());
      socket.on('close', () => {
        clearTimeout(timer);
        resolve(text);
      });
      socket.end('hello');
    });
    assert.equal(answer, 'a\nhello');
    assert.ok(Date.now() - started < 2000, 'the half-close went through');
    await provider.remove(lb.id);
  });

  it('passes HTTPS listener traffic through unchanged to TCP members', async () => {
    const port = await freePort(VIP);
    const p = pool([member(b.address, b.port)], { protocol: 'TCP' });
    const lb = loadBalancer(VIP, [listener(port, { protocol: 'HTTPS', defaultPoolId: p.id })], [p]);
    await provider.apply(lb);
    const hello = '\x16\x03\x01\x00\x05hello';
    assert.equal(await tcpExchange(VIP, port, hello), `b\n${hello}`);
    await provider.remove(lb.id);
  });

  it('closes the client connection when no member can serve', async () => {
    const port = await freePort(VIP);
    const p = pool([member(a.address, a.port, { adminStateUp: false })], { protocol: 'TCP' });
    const lb = loadBalancer(VIP, [listener(port, { protocol: 'TCP', defaultPoolId: p.id })], [p]);
    await provider.apply(lb);
    assert.equal(await tcpExchange(VIP, port, 'hello', { ms: 2000 }), '');
    assert.equal(provider.report(lb.id)?.pools[p.id].status, 'DOWN');
    assert.equal(provider.report(lb.id)?.pools[p.id].members[p.members[0].id], 'MAINT');
    await provider.remove(lb.id);
  });

  it('retries on another member when a member refuses the connection (redispatch)', async () => {
    const port = await freePort(VIP);
    const deadPort = await freePort('127.0.10.3');
    const p = pool([member('127.0.10.3', deadPort), member(a.address, a.port)], { protocol: 'TCP' });
    const lb = loadBalancer(VIP, [listener(port, { protocol: 'TCP', defaultPoolId: p.id })], [p]);
    await provider.apply(lb);
    for (let i = 0; i < 4; i++) assert.equal(await tcpExchange(VIP, port, 'x'), 'a\nx');
    await provider.remove(lb.id);
  });

  it('does not serve a listener or a load balancer whose admin state is down', async () => {
    const port = await freePort(VIP);
    const p = pool([member(a.address, a.port)], { protocol: 'TCP' });
    const l = listener(port, { protocol: 'TCP', defaultPoolId: p.id });
    const lb = loadBalancer(VIP, [l], [p], { adminStateUp: false });
    await provider.apply(lb);
    assert.equal(await tcpExchange(VIP, port, 'x', { ms: 1000 }), '');
    assert.deepEqual(provider.report(lb.id), { listeners: {}, pools: {} });
    await provider.apply({ ...lb, revision: 2, adminStateUp: true });
    assert.equal(await tcpExchange(VIP, port, 'x'), 'a\nx');
    await provider.apply({
      ...lb,
      revision: 3,
      adminStateUp: true,
      listeners: [{ ...l, adminStateUp: false }],
    });
    assert.equal(await tcpExchange(VIP, port, 'x', { ms: 1000 }), '');
    await provider.remove(lb.id);
  });

  it('rejects apply with the reason when the VIP is not an address of this host', async () => {
    const p = pool([member(a.address, a.port)], { protocol: 'TCP' });
    const lb = loadBalancer('192.0.2.77', [listener(8080, { protocol: 'TCP', defaultPoolId: p.id })], [p]);
    await assert.rejects(
      provider.apply(lb),
      /cannot listen on 192\.0\.2\.77:8080: the address is not configured/,
    );
    await provider.remove(lb.id);
  });

  it('refuses what it cannot serve with the words the API answers 501 with', async () => {
    const p = pool([member(a.address, a.port)], { protocol: 'SCTP' });
    const lb = loadBalancer(VIP, [listener(9100, { protocol: 'SCTP' })], [p]);
    assert.deepEqual(unsupportedOptions(lb), ['listener protocol SCTP', 'pool protocol SCTP']);
    await assert.rejects(
      provider.apply(lb),
      /Provider 'native' does not support a requested option: listener protocol SCTP, pool protocol SCTP/,
    );
    assert.equal(provider.report(lb.id), undefined);
  });

  it('applying the same revision twice changes nothing', async () => {
    const port = await freePort(VIP);
    const p = pool([member(a.address, a.port)], { protocol: 'TCP' });
    const lb = loadBalancer(VIP, [listener(port, { protocol: 'TCP', defaultPoolId: p.id })], [p]);
    await provider.apply(lb);
    await provider.apply(lb);
    assert.equal(await tcpExchange(VIP, port, 'x'), 'a\nx');
    await provider.remove(lb.id);
    await provider.remove(lb.id);
  });
});
