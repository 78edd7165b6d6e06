// Upgraded (tunnelled) connections of the native HTTP listener and `timeout client`, by traffic through a real
// listener to a raw member that switches protocols: silence both ways closes both ends, traffic in either
// direction keeps the tunnel open (HAProxy's rule without `timeout tunnel`).
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, describe, it } from 'node:test';
import { DEFAULT_TIMEOUTS } from '../../../model/desired-state.ts';
import { NativeProvider } from '../native-provider.ts';
import { freePort, listener, loadBalancer, member, pool } from '../native-test-fixtures.ts';

const VIP = '127.0.20.21';
const MEMBER = '127.0.20.22';
const IDLE_MS = 400;
const UPGRADE = 'GET /ws HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A member that answers the upgrade with 101, then echoes; `sockets` are its accepted connections. */
async function upgradingMember() {
  const sockets: net.Socket[] = [];
  const server = net.createServer((socket) => {
    sockets.push(socket);
    socket.on('error', () => {});
    let upgraded = false;
    socket.on('data', (chunk) => {
      if (upgraded) socket.write(chunk);
      else if (chunk.includes('\r\n\r\n')) {
        upgraded = true;
        socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, MEMBER, resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    sockets,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Opens a client connection through the listener and waits for the 101; `closed` resolves at its close. */
async function openTunnel(port: number) {
  const socket = net.connect(port, VIP);
  socket.on('error', () => {});
  let text = '';
  socket.setEncoding('latin1');
  socket.on('data', (chunk: string) => {
    text += chunk;
  });
  const closed = new Promise<number>((resolve) => socket.once('close', () => resolve(performance.now())));
  socket.write(UPGRADE);
  for (let i = 0; i < 100 && !text.includes('\r\n\r\n'); i += 1) await sleep(20);
  assert.match(text, /^HTTP\/1\.1 101 /);
  return { socket, closed, text: () => text };
}

/** `promise`'s value, or `fallback` after `ms`. */
const within = <T>(promise: Promise<T>, ms: number, fallback: T) =>
  Promise.race([promise, sleep(ms).then(() => fallback)]);

describe('native provider, tunnels after an upgrade', () => {
  const provider = new NativeProvider();
  after(() => provider.close());

  async function serve(memberPort: number, idle: { clientData?: number; memberData?: number } = {}) {
    const port = await freePort(VIP);
    const p = pool([member(MEMBER, memberPort)]);
    const timeouts = { ...DEFAULT_TIMEOUTS, clientData: IDLE_MS, ...idle };
    await provider.apply(loadBalancer(VIP, [listener(port, { defaultPoolId: p.id, timeouts })], [p]));
    return port;
  }

  it('closes an upgraded connection silent both ways for timeout client, on the client and the member', async (t) => {
    const upstream = await upgradingMember();
    t.after(() => upstream.close());
    const port = await serve(upstream.port);
    const tunnel = await openTunnel(port);
    const quietSince = performance.now();
    const memberSide = upstream.sockets[0];
    // The member sees its connection end (without allowHalfOpen, Node then closes it).
    const memberClosed = new Promise<boolean>((resolve) => memberSide.once('close', () => resolve(true)));
    const closedAt = await within(tunnel.closed, IDLE_MS + 3000, -1);
    assert.notEqual(closedAt, -1, 'the load balancer closed the silent tunnel');
    assert.ok(closedAt - quietSince >= IDLE_MS - 50, `closed after ${closedAt - quietSince} ms, not before`);
    assert.equal(await within(memberClosed, 3000, false), true, 'the member connection was closed too');
  });

  it('closes an upgraded connection silent both ways for timeout_member_data when that is the shorter one', async (t) => {
    const upstream = await upgradingMember();
    t.after(() => upstream.close());
    const port = await serve(upstream.port, { clientData: 60_000, memberData: IDLE_MS });
    const tunnel = await openTunnel(port);
    const quietSince = performance.now();
    const closedAt = await within(tunnel.closed, IDLE_MS + 3000, -1);
    assert.notEqual(closedAt, -1, 'the load balancer closed the silent tunnel within timeout_member_data');
    assert.ok(closedAt - quietSince >= IDLE_MS - 50, `closed after ${closedAt - quietSince} ms, not before`);
  });

  it('keeps an upgraded connection open past timeout client while only the member sends', async (t) => {
    const upstream = await upgradingMember();
    t.after(() => upstream.close());
    const port = await serve(upstream.port);
    const tunnel = await openTunnel(port);
    t.after(() => tunnel.socket.destroy());
    const memberSide = upstream.sockets[0];
    let open = true;
    void tunnel.closed.then(() => {
      open = false;
    });
    // The client sends nothing for three idle timeouts; the member writes every quarter of one.
    for (let i = 0; i < 12; i += 1) {
      memberSide.write(`push ${i};`);
      await sleep(IDLE_MS / 4);
    }
    assert.ok(open, 'the tunnel is still open');
    assert.ok(tunnel.text().endsWith('push 11;'), 'every pushed chunk reached the client');
    tunnel.socket.write('echo');
    for (let i = 0; i < 50 && !tunnel.text().endsWith('echo'); i += 1) await sleep(20);
    assert.ok(tunnel.text().endsWith('echo'), 'the client still reaches the member');
  });
});
