// WebSocket conformance: Node's built-in WebSocket client talks to a real RFC 6455 echo member through an HTTP
// listener (an upgraded connection), through an L7-policy-routed pool and through a TCP listener, for every
// provider of test/conformance/providers.ts. Listener ports 18300–18399, members on 127.0.37.x.
//
// Idle rules: Octavia renders no `timeout tunnel`, only `timeout client` / `timeout server` (frontend_macro
// and backend_macro in Octavia's octavia/common/jinja/haproxy/combined_listeners/templates/macros.j2), so an
// upgraded connection keeps those. HAProxy re-arms a side's read timeout whenever it writes to that side
// unless `option independent-streams` is set
// (https://docs.haproxy.org/2.6/configuration.html#4.2-option%20independent-streams), so traffic in either
// direction keeps the session alive and it closes after `timeout_client_data` (the shorter timeout here) of
// silence both ways: what `timeout tunnel` with that value would say
// (https://docs.haproxy.org/2.6/configuration.html#4.2-timeout%20tunnel).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { type ServeProcess, startServe } from '../helpers/serve-process.ts';
import { type Api, apiClient, createService } from './api-client.ts';
import { conformanceProviders } from './providers.ts';
import { type WebSocketBackend, type WebSocketSession, websocketBackend } from './websocket-backend.ts';
import { type Closed, openWebSocket, type WebSocketClient } from './websocket-client.ts';

const PASSWORD = 'conformance-password';
const PORT = { http: 18300, tcp: 18301, idleHttp: 18302, idleTcp: 18303 };
/** timeout_client_data of the idle listeners: short, yet many times a loaded machine's scheduling jitter. */
const IDLE_MS = 1500;
/** How far apart the messages of the "traffic keeps it open" phases are. */
const TICK_MS = 250;

let server: ServeProcess;
let api: Api;
let vip: string;
let ws1: WebSocketBackend; // default pools
let ws2: WebSocketBackend; // the L7-routed pool only

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const url = (port: number, path = '/echo') => `ws://${vip}:${port}${path}`;

/** The member's side of the session the client just opened (the member records it before its 101). */
function sessionOf(backend: WebSocketBackend, hitsBefore: number): WebSocketSession {
  assert.equal(backend.hits, hitsBefore + 1, `${backend.name} took the upgrade`);
  return backend.sessions[backend.sessions.length - 1];
}

/** Resolves with the value of `promise`, or rejects after `ms`. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Text and binary messages both ways, one over 64 KiB each way (64-bit frame length) and 500 small ones. */
async function exchange(client: WebSocketClient, session: WebSocketSession): Promise<void> {
  const receivedBefore = session.received;
  client.send('hello');
  assert.equal(await client.next(), 'hello');
  const small = Buffer.from([0, 1, 2, 127, 128, 255]);
  client.send(small);
  assert.deepEqual(await client.next(), small);
  const big = randomBytes(200 * 1024);
  client.send(big);
  assert.deepEqual(await client.next(), big, 'a 200 KiB binary message comes back intact');
  const bigText = 'ünïcødé ✓ '.repeat(8000); // > 64 KiB of UTF-8 with multi-byte characters
  client.send(bigText);
  assert.equal(await client.next(), bigText, 'a large text message comes back intact');
  const many = Array.from({ length: 500 }, (_, i) => `small ${i}`);
  for (const text of many) client.send(text);
  const echoed: unknown[] = [];
  for (let i = 0; i < many.length; i += 1) echoed.push(await client.next());
  assert.deepEqual(echoed, many, '500 small messages come back whole and in order');
  assert.equal(session.received - receivedBefore, 4 + many.length, 'the member received every message');
  // Member to client, unprompted.
  session.send('from the member');
  assert.equal(await client.next(), 'from the member');
  const pushed = randomBytes(100 * 1024);
  session.send(pushed);
  assert.deepEqual(await client.next(), pushed);
  assert.equal(client.pending(), 0, 'no message arrived twice');
}

for (const PROVIDER of conformanceProviders()) {
  describe(`WebSocket conformance (${PROVIDER} provider)`, () => {
    before(async () => {
      ws1 = await websocketBackend('ws1', '127.0.37.1');
      ws2 = await websocketBackend('ws2', '127.0.37.2');
      server = await startServe({ env: { SLUICE_ADMIN_PASSWORD: PASSWORD, SLUICE_PROVIDER: PROVIDER } });
      api = await apiClient(server.url, PASSWORD);
      const lb = await api.createLoadBalancer({ provider: PROVIDER });
      vip = lb.vip_address;
      const http = await createService(api, { protocol: 'HTTP', protocol_port: PORT.http }, {}, [
        { backend: ws1 },
      ]);
      const routed = (
        await api.change('POST', '/v2/lbaas/pools', {
          pool: { loadbalancer_id: lb.id, protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN' },
        })
      ).pool as { id: string };
      await api.change('POST', `/v2/lbaas/pools/${routed.id}/members`, {
        member: { address: ws2.address, protocol_port: ws2.port },
      });
      const policy = (
        await api.change('POST', '/v2/lbaas/l7policies', {
          l7policy: { listener_id: http.listener, action: 'REDIRECT_TO_POOL', redirect_pool_id: routed.id },
        })
      ).l7policy as { id: string };
      await api.change('POST', `/v2/lbaas/l7policies/${policy.id}/rules`, {
        rule: { type: 'PATH', compare_type: 'STARTS_WITH', value: '/routed' },
      });
      await createService(api, { protocol: 'TCP', protocol_port: PORT.tcp }, {}, [{ backend: ws1 }]);
      for (const [protocol, port] of [
        ['HTTP', PORT.idleHttp],
        ['TCP', PORT.idleTcp],
      ] as const) {
        await createService(api, { protocol, protocol_port: port, timeout_client_data: IDLE_MS }, {}, [
          { backend: ws1 },
        ]);
      }
    });
    after(async () => {
      await server?.stop();
      await Promise.all([ws1, ws2].filter(Boolean).map((b) => b.close()));
    });

    const routes = [
      { through: 'an HTTP listener', port: PORT.http, path: '/echo', member: () => ws1, other: () => ws2 },
      {
        through: 'an L7-policy-routed pool',
        port: PORT.http,
        path: '/routed/echo',
        member: () => ws2,
        other: () => ws1,
      },
      { through: 'a TCP listener', port: PORT.tcp, path: '/echo', member: () => ws1, other: () => ws2 },
    ];
    for (const route of routes) {
      it(`echoes text and binary messages both ways through ${route.through}`, async () => {
        const [member, other] = [route.member(), route.other()];
        const [hits, otherHits] = [member.hits, other.hits];
        const client = await openWebSocket(url(route.port, route.path));
        const session = sessionOf(member, hits);
        assert.equal(other.hits, otherHits, `${other.name} saw no upgrade`);
        assert.equal(session.path, route.path, 'the member saw the request target');
        await exchange(client, session);
        client.socket.close(1000);
        await within(session.ended, 5000, 'the member connection closes');
      });
    }

    for (const [kind, port] of [
      ['HTTP', PORT.idleHttp],
      ['TCP', PORT.idleTcp],
    ] as const) {
      it(`keeps a WebSocket open past timeout_client_data while messages flow either way (${kind} listener)`, async () => {
        const hits = ws1.hits;
        const client = await openWebSocket(url(port));
        const session = sessionOf(ws1, hits);
        // Client to member and back, every TICK_MS for over twice the idle timeout.
        for (let i = 0; i * TICK_MS < 2 * IDLE_MS + TICK_MS; i += 1) {
          client.send(`tick ${i}`);
          assert.equal(await client.next(), `tick ${i}`);
          await sleep(TICK_MS);
        }
        // Member to client only: the client sends nothing for over twice the idle timeout.
        for (let i = 0; i * TICK_MS < 2 * IDLE_MS + TICK_MS; i += 1) {
          session.send(`push ${i}`);
          assert.equal(await client.next(), `push ${i}`);
          await sleep(TICK_MS);
        }
        assert.equal(client.socket.readyState, WebSocket.OPEN, 'the client side is still open');
        assert.ok(session.isOpen(), 'the member side is still open');
        client.send('still there');
        assert.equal(await client.next(), 'still there');
        client.socket.close(1000);
        await within(session.ended, 5000, 'the member connection closes');
      });

      it(`closes a WebSocket silent both ways for timeout_client_data, on the client and the member (${kind} listener)`, async () => {
        const hits = ws1.hits;
        const client = await openWebSocket(url(port));
        const session = sessionOf(ws1, hits);
        client.send('one');
        assert.equal(await client.next(), 'one');
        const quietSince = client.lastTraffic();
        const closed = await within(
          client.closed,
          IDLE_MS + 8000,
          'the load balancer closes the silent session',
        );
        // The load balancer drops the connection without a closing handshake: 1006 (RFC 6455 §7.1.5).
        assert.deepEqual([closed.code, closed.wasClean], [1006, false]);
        const silent = closed.at - quietSince;
        assert.ok(silent >= IDLE_MS - 100, `closed after ${Math.round(silent)} ms of silence, not before`);
        await within(session.ended, 5000, 'the member connection is closed too');
      });
    }

    for (const [kind, port] of [
      ['HTTP', PORT.http],
      ['TCP', PORT.tcp],
    ] as const) {
      it(`passes a close from the client to the member and the member's answer back (${kind} listener)`, async () => {
        const hits = ws1.hits;
        const client = await openWebSocket(url(port));
        const session = sessionOf(ws1, hits);
        client.socket.close(4000, 'client done');
        const closed: Closed = await within(client.closed, 5000, 'the close handshake completes');
        assert.deepEqual(session.closeFrame, { code: 4000, reason: 'client done' });
        assert.deepEqual([closed.code, closed.wasClean], [4000, true]);
        await within(session.ended, 5000, 'the member connection closes');
      });

      it(`passes a close from the member to the client, and a dropped member connection as 1006 (${kind} listener)`, async () => {
        let hits = ws1.hits;
        const client = await openWebSocket(url(port));
        const session = sessionOf(ws1, hits);
        session.close(4001, 'member done');
        const closed = await within(client.closed, 5000, 'the client sees the close');
        assert.deepEqual([closed.code, closed.reason, closed.wasClean], [4001, 'member done', true]);
        // RFC 6455 §5.5.1: the answer echoes the status code (a reason is optional).
        assert.equal(session.closeFrame?.code, 4001, 'the client answered with a close frame');
        await within(session.ended, 5000, 'the member connection closes');
        hits = ws1.hits;
        const dropped = await openWebSocket(url(port));
        sessionOf(ws1, hits).drop();
        const abnormal = await within(dropped.closed, 5000, 'the client sees the drop');
        assert.deepEqual([abnormal.code, abnormal.wasClean], [1006, false]);
      });
    }
  });
}
