// UDP listeners by traffic: echo through members, sessions, SOURCE_IP persistence, idle expiry.
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_TIMEOUTS } from '../../../model/desired-state.ts';
import { NativeProvider } from '../native-provider.ts';
import { freePort, listener, loadBalancer, member, pool } from '../native-test-fixtures.ts';

const VIP = '127.0.20.9';

async function udpEcho(address: string, name: string) {
  const socket = dgram.createSocket('udp4');
  socket.on('message', (message, from) => socket.send(`${name}:${message}`, from.port, from.address));
  await new Promise<void>((resolve) => socket.bind(0, address, resolve));
  return {
    address,
    port: socket.address().port,
    close: () => new Promise<void>((r) => socket.close(() => r())),
  };
}

/** A client socket that sends one datagram and waits (bounded) for one reply. */
async function udpClient(localAddress = '127.0.0.1') {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, localAddress, resolve));
  const ask = (port: number, text: string) =>
    new Promise<string>((resolve) => {
      const timer = setTimeout(() => {
        socket.off('message', onMessage);
        resolve('');
      }, 1000);
      const onMessage = (reply: Buffer) => {
        clearTimeout(timer);
        socket.off('message', onMessage);
        resolve(reply.toString());
      };
      socket.on('message', onMessage);
      socket.send(text, port, VIP);
    });
  return { ask, close: () => new Promise<void>((r) => socket.close(() => r())) };
}

describe('native provider, UDP listeners', () => {
  const provider = new NativeProvider();
  let a: Awaited<ReturnType<typeof udpEcho>>;
  let b: Awaited<ReturnType<typeof udpEcho>>;
  before(async () => {
    a = await udpEcho('127.0.18.1', 'a');
    b = await udpEcho('127.0.18.2', 'b');
  });
  after(async () => {
    await provider.close();
    await a.close();
    await b.close();
  });

  async function serve(
    extra: Parameters<typeof pool>[1] = {},
    clientData: number = DEFAULT_TIMEOUTS.clientData,
  ) {
    const port = await freePort(VIP, 'udp');
    const p = pool([member(a.address, a.port), member(b.address, b.port)], { protocol: 'UDP', ...extra });
    const timeouts = { ...DEFAULT_TIMEOUTS, clientData };
    const lb = loadBalancer(VIP, [listener(port, { protocol: 'UDP', defaultPoolId: p.id, timeouts })], [p]);
    await provider.apply(lb);
    return { port, lb };
  }

  it('echoes datagrams through a member and keeps one client address:port on its member', async () => {
    const { port, lb } = await serve();
    const client = await udpClient();
    const first = await client.ask(port, 'ping');
    assert.match(first, /^[ab]:ping$/);
    for (let i = 0; i < 3; i++) assert.equal(await client.ask(port, 'ping'), first);
    const counters = provider.report(lb.id)?.listeners[lb.listeners[0].id].counters;
    assert.equal(counters?.activeConnections, 1);
    assert.equal(counters?.bytesIn, 16);
    assert.equal(counters?.bytesOut, 24);
    await client.close();
    await provider.remove(lb.id);
  });

  it('spreads new client sessions over members by round robin', async () => {
    const { port, lb } = await serve();
    const seen = new Set<string>();
    for (let i = 0; i < 4; i++) {
      const client = await udpClient();
      seen.add((await client.ask(port, 'x')).split(':')[0]);
      await client.close();
    }
    assert.deepEqual([...seen].sort(), ['a', 'b']);
    await provider.remove(lb.id);
  });

  it('SOURCE_IP persistence keeps every session of one client address on one member', async () => {
    const { port, lb } = await serve({
      sessionPersistence: {
        type: 'SOURCE_IP',
        cookieName: null,
        persistenceTimeout: 60,
        persistenceGranularity: null,
      },
    });
    const names = new Set<string>();
    for (let i = 0; i < 4; i++) {
      const client = await udpClient('127.0.48.1');
      names.add((await client.ask(port, 'x')).split(':')[0]);
      await client.close();
    }
    assert.equal(names.size, 1);
    await provider.remove(lb.id);
  });

  it('ends a session after timeout_client_data without traffic', async () => {
    const { port, lb } = await serve({}, 200);
    const client = await udpClient();
    assert.notEqual(await client.ask(port, 'x'), '');
    const active = () => provider.report(lb.id)?.listeners[lb.listeners[0].id].counters.activeConnections;
    assert.equal(active(), 1);
    for (let i = 0; i < 100 && active() !== 0; i++) await new Promise((r) => setTimeout(r, 50));
    assert.equal(active(), 0);
    await client.close();
    await provider.remove(lb.id);
  });
});
