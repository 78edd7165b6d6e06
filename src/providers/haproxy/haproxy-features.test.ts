// What the rendered directives do in a real HAProxy (127.0.44.x): L7 rules and redirects, cookie persistence,
// SOURCE_IP_PORT, PROXY protocol, allowed_cidrs, and each health-monitor type against live members.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import tls from 'node:tls';
import type { DesiredListener, DesiredPool } from '../../model/desired-state.ts';
import { selfSignedCertificate } from '../test-certificates.ts';
import { HaproxyProvider } from './haproxy-provider.ts';
import {
  type Backend,
  freePort,
  get,
  HAPROXY,
  httpBackend,
  listener,
  loadBalancer,
  member,
  monitor,
  policy,
  pool,
  rule,
  skipWithoutHaproxy,
  waitFor,
} from './haproxy-test-fixtures.ts';

const VIP = '127.0.44.10';
const LB = 'lb-features';
const cookies = (type: string, cookieName: string | null = null) => ({
  type,
  cookieName,
  persistenceTimeout: null,
  persistenceGranularity: null,
});

describe('haproxy provider features', { skip: skipWithoutHaproxy }, () => {
  const runDir = path.join(os.tmpdir(), `sluice-hap-${process.pid}-features`);
  const provider = new HaproxyProvider({ runDir, haproxyBinary: HAPROXY });
  const closers: (() => unknown)[] = [];
  const ports: Record<string, number> = {};
  let web: Backend[];
  let apps: Backend[];
  const proxyLines: string[] = [];
  let tlsPort = 0;

  before(async () => {
    web = await Promise.all(['w1', 'w2'].map((n, i) => httpBackend(n, `127.0.44.${i + 1}`)));
    apps = await Promise.all(
      ['app1', 'app2'].map((n, i) => httpBackend(n, `127.0.44.${i + 3}`, 'JSESSIONID')),
    );
    const raw = net.createServer((socket) => {
      socket.once('data', (data) => proxyLines.push(String(data).split('\r\n')[0]));
      socket.on('error', () => {});
    });
    await new Promise<void>((resolve) => raw.listen(0, '127.0.44.5', resolve));
    closers.push(() => raw.close());
    const certificate = await selfSignedCertificate();
    const tlsServer = tls.createServer(certificate ?? {}, (socket) => socket.end());
    tlsServer.on('tlsClientError', () => {});
    await new Promise<void>((resolve) => tlsServer.listen(0, '127.0.44.6', resolve));
    tlsPort = (tlsServer.address() as net.AddressInfo).port;
    closers.push(() => tlsServer.close());
    for (const name of ['l7', 'httpCookie', 'appCookie', 'hashPort', 'proxy', 'cidr', 'checks'])
      ports[name] = await freePort(VIP);
    const w = (i: number) => member(`w${i}`, web[i].address, web[i].port);
    const ap = (i: number) => member(`app${i}`, apps[i].address, apps[i].port);
    const http = (id: string, extra: Partial<DesiredListener> = {}) =>
      listener(id, ports[id], { defaultPoolId: `p-${id}`, ...extra });
    const listeners: DesiredListener[] = [
      http('l7', {
        l7policies: [
          policy(
            'reject-jpg',
            [rule('r-jpg', { type: 'FILE_TYPE', compareType: 'EQUAL_TO', value: 'jpg' })],
            {
              action: 'REJECT',
            },
          ),
          policy('to-url', [rule('r-old', { compareType: 'EQUAL_TO', value: '/old' })], {
            action: 'REDIRECT_TO_URL',
            redirectUrl: 'https://new.example/a%20b?x=1',
            redirectHttpCode: 308,
          }),
          policy(
            'to-prefix',
            [rule('r-bot', { type: 'HEADER', key: 'X-Agent', compareType: 'REGEX', value: '^bot[0-9]+$' })],
            {
              action: 'REDIRECT_PREFIX',
              redirectPrefix: 'https://bots.example/',
              redirectHttpCode: 301,
            },
          ),
          policy('to-pool', [rule('r-api', { value: '/api' })], {
            action: 'REDIRECT_TO_POOL',
            redirectPoolId: 'p-other',
          }),
        ],
      }),
      http('httpCookie'),
      http('appCookie'),
      http('hashPort'),
      listener('proxy', ports.proxy, { protocol: 'TCP', defaultPoolId: 'p-proxy' }),
      listener('cidr', ports.cidr, {
        protocol: 'TCP',
        defaultPoolId: 'p-cidr',
        allowedCidrs: ['127.0.0.0/24'],
      }),
      http('checks'),
    ];
    const checked = (id: string, type: string, extra = {}) =>
      monitor(id, { type, delay: 1, timeout: 1, maxRetries: 1, maxRetriesDown: 1, ...extra });
    const pools: DesiredPool[] = [
      pool('p-l7', [w(0)]),
      pool('p-other', [w(1)]),
      pool('p-httpCookie', [w(0), w(1)], { sessionPersistence: cookies('HTTP_COOKIE') }),
      pool('p-appCookie', [ap(0), ap(1)], { sessionPersistence: cookies('APP_COOKIE', 'JSESSIONID') }),
      pool('p-hashPort', [w(0), w(1)], { lbAlgorithm: 'SOURCE_IP_PORT' }),
      pool('p-proxy', [member('raw', '127.0.44.5', (raw.address() as net.AddressInfo).port)], {
        protocol: 'PROXY',
      }),
      pool('p-cidr', [w(0)], { protocol: 'TCP' }),
      pool('p-checks', [member('http11', web[0].address, web[0].port), member('nothing', '127.0.44.7', 9)], {
        healthMonitor: checked('hm', 'HTTP', { httpVersion: 1.1 }),
      }),
    ];
    await provider.apply(loadBalancer(LB, VIP, listeners, pools));
  });
  after(async () => {
    await provider.close();
    await Promise.all([...web, ...apps].map((b) => b.close()));
    for (const close of closers) close();
    fs.rmSync(runDir, { recursive: true, force: true });
  });

  it('rejects by file extension, redirects to a URL and by prefix, and routes a path to another pool', async () => {
    assert.equal((await get(VIP, ports.l7, '/img/cat.jpg')).status, 403);
    assert.equal(
      (await get(VIP, ports.l7, '/img.jpg/cat')).body,
      'w1',
      'a dot in a directory is no extension',
    );
    const moved = await get(VIP, ports.l7, '/old');
    assert.equal(moved.status, 308);
    assert.equal(moved.headers.location, 'https://new.example/a%20b?x=1');
    const bot = await get(VIP, ports.l7, '/p?q=1', { headers: { 'X-Agent': 'bot42' } });
    assert.equal(bot.status, 301);
    assert.equal(bot.headers.location, 'https://bots.example/p?q=1');
    assert.equal((await get(VIP, ports.l7, '/api/v1')).body, 'w2');
    assert.equal((await get(VIP, ports.l7, '/')).body, 'w1');
  });

  it('keeps a client returning the inserted cookie on one member (HTTP_COOKIE)', async () => {
    const first = await get(VIP, ports.httpCookie);
    const cookie = (first.headers['set-cookie'] ?? [])[0]?.split(';')[0];
    assert.match(cookie ?? '', /^SRV=w[01]$/);
    for (let i = 0; i < 4; i += 1) {
      assert.equal((await get(VIP, ports.httpCookie, '/', { headers: { cookie } })).body, first.body);
    }
  });

  it("routes requests carrying the member's session cookie back to it (APP_COOKIE)", async () => {
    const first = await get(VIP, ports.appCookie);
    const cookie = (first.headers['set-cookie'] ?? [])[0]?.split(';')[0];
    assert.ok(cookie?.startsWith('JSESSIONID='), JSON.stringify(first.headers));
    for (let i = 0; i < 4; i += 1) {
      assert.equal((await get(VIP, ports.appCookie, '/', { headers: { cookie } })).body, first.body);
    }
  });

  it('spreads connections from one client address over the members by source port (SOURCE_IP_PORT)', async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 20 && seen.size < 2; i += 1) seen.add((await get(VIP, ports.hashPort)).body);
    assert.deepEqual([...seen].sort(), ['w1', 'w2']);
  });

  it('sends a PROXY v1 header with the client and VIP addresses to a PROXY pool member', async () => {
    const socket = net.connect(ports.proxy, VIP);
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write('hello');
    const line = await waitFor(
      () => proxyLines[0],
      (l) => l !== undefined,
      3000,
    );
    assert.equal(line, `PROXY TCP4 127.0.0.1 ${VIP} ${socket.localPort} ${ports.proxy}`);
    socket.destroy();
  });

  it('refuses connections from outside allowed_cidrs and serves those inside', async () => {
    const answer = (localAddress: string) =>
      new Promise<string>((resolve) => {
        const socket = net.connect({ host: VIP, port: ports.cidr, localAddress });
        socket.on('connect', () => socket.write('GET / HTTP/1.0\r\n\r\n'));
        let text = '';
        socket.on('data', (d) => {
          text += d;
        });
        socket.on('error', () => resolve(`error:${text}`));
        socket.on('close', () => resolve(text));
        socket.setTimeout(3000, () => socket.destroy());
      });
    assert.match(await answer('127.0.0.1'), /w1$/);
    assert.doesNotMatch(await answer('127.0.44.200'), /w1/);
  });

  it('checks members over HTTP/1.1 with a Host header, and reports a member without an HTTP server DOWN', async () => {
    const report = await waitFor(
      () => provider.report(LB)?.pools['p-checks']?.members,
      (m) => m?.http11 === 'UP' && m?.nothing === 'DOWN',
      5000,
    );
    assert.equal(report?.http11, 'UP', 'Node answers 400 to HTTP/1.1 without Host, so UP proves the header');
    assert.equal(report?.nothing, 'DOWN');
  });

  it('marks TLS members UP and plain ones DOWN with TLS-HELLO, and PING reaches a local address', async (t) => {
    if (!fs.existsSync('/usr/bin/openssl')) return t.skip('openssl is not installed');
    const quick = { delay: 1, timeout: 1, maxRetries: 1, maxRetriesDown: 1 };
    const tlsPool = pool(
      'p-tls',
      [member('tls-ok', '127.0.44.6', tlsPort), member('tls-plain', web[1].address, web[1].port)],
      {
        protocol: 'TCP',
        healthMonitor: monitor('hm-tls', { type: 'TLS-HELLO', ...quick }),
      },
    );
    const pingPool = pool('p-ping', [member('ping', '127.0.44.7', 9)], {
      protocol: 'TCP',
      healthMonitor: monitor('hm-ping', { type: 'PING', ...quick }),
    });
    const [tlsListener, pingListener] = [await freePort(VIP), await freePort(VIP)];
    await provider.apply(
      loadBalancer(
        'lb-checks',
        VIP,
        [
          listener('tls', tlsListener, { protocol: 'TCP', defaultPoolId: 'p-tls' }),
          listener('ping', pingListener, { protocol: 'TCP', defaultPoolId: 'p-ping' }),
        ],
        [tlsPool, pingPool],
      ),
    );
    const members = await waitFor(
      () => {
        const pools = provider.report('lb-checks')?.pools;
        return { ...pools?.['p-tls']?.members, ...pools?.['p-ping']?.members };
      },
      (m) => m['tls-ok'] === 'UP' && m['tls-plain'] === 'DOWN' && m.ping === 'UP',
      5000,
    );
    assert.deepEqual(members, { 'tls-ok': 'UP', 'tls-plain': 'DOWN', ping: 'UP' });
    await provider.remove('lb-checks');
  });
});
