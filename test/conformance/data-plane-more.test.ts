// More data-plane conformance: algorithms, persistence, backup and drained members, limits, UDP, PROXY
// protocol, allowed_cidrs and load-balancer stats, each checked by traffic through `sluice serve` driven by
// the Octavia API. Provider-agnostic like data-plane.test.ts (SLUICE_CONFORMANCE_PROVIDER, default
// `native`); it uses listener ports 18200–18299 and backends on 127.0.33.x–127.0.36.x so both files can run
// side by side. Each behaviour gets its own listener and pool; the backend servers are shared.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type ServeProcess, startServe } from '../helpers/serve-process.ts';
import { passwordOpenrcEnv, runSluice, SLUICE_BIN } from '../helpers/sluice-cli.ts';
import { type Api, apiClient, createService } from './api-client.ts';
import {
  type Backend,
  httpBackend,
  httpGet,
  openTcp,
  rawTcpBackend,
  type TcpClient,
  tcpBackend,
  tcpTry,
  udpBackend,
  udpRoundTrip,
} from './backends.ts';
import { conformanceProviders } from './providers.ts';

/** Providers that rightly answer 501 to UDP listeners (the haproxy provider: HAProxy has no UDP proxying). */
const NO_UDP = ['haproxy'];
const PASSWORD = 'conformance-password';
const PORT = {
  leastConn: 18200,
  sourceIp: 18201,
  httpCookie: 18202,
  appCookie: 18203,
  backup: 18204,
  drain: 18205,
  limit: 18206,
  udp: 18207,
  proxy: 18208,
  cidrDenied: 18209,
  cidrAllowed: 18210,
  stats: 18211,
  metrics: 18212,
  prometheus: 18213,
  accessLog: 18214,
};

let server: ServeProcess;
let api: Api;
let vip: string;
let web: Backend[]; // plain HTTP backends, 127.0.34.x
let apps: Backend[]; // HTTP backends that set an application session cookie, 127.0.35.x
let tcp: Backend[]; // TCP echo backends, 127.0.33.x
let udp: Backend;
let raw: Backend & { received: string[] };
const held: TcpClient[] = [];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const tally = (list: string[]) => {
  const counts: Record<string, number> = {};
  for (const name of list) counts[name] = (counts[name] ?? 0) + 1;
  return counts;
};
const url = (port: number, path = '/') => `http://${vip}:${port}${path}`;
/** The backend names that answer `n` requests, each on a fresh connection. */
const names = async (port: number, n: number, options: Parameters<typeof httpGet>[1] = {}) => {
  const seen: string[] = [];
  for (let i = 0; i < n; i += 1) seen.push((await httpGet(url(port), options)).json().name);
  return seen;
};

/** A listener with a default pool holding one member per backend; returns the ids. */
const service = (
  listener: Record<string, unknown>,
  pool: Record<string, unknown>,
  members: { backend: Backend; body?: Record<string, unknown> }[],
) => createService(api, listener, pool, members);

const putMember = (pool: string, member: string, body: Record<string, unknown>) =>
  api.change('PUT', `/v2/lbaas/pools/${pool}/members/${member}`, { member: body });

/** Polls `read` every 100 ms until `done` holds or `ms` passed; returns the last value and the time taken. */
async function pollUntil<T>(read: () => Promise<T>, done: (value: T) => boolean, ms: number) {
  const start = Date.now();
  let value = await read();
  while (!done(value) && Date.now() - start < ms) {
    await sleep(100);
    value = await read();
  }
  return { value, elapsedMs: Date.now() - start };
}

for (const PROVIDER of conformanceProviders()) {
  describe(`more data-plane conformance (${PROVIDER} provider)`, () => {
    before(async () => {
      web = await Promise.all(['web1', 'web2', 'web3'].map((n, i) => httpBackend(n, `127.0.34.${i + 1}`)));
      apps = await Promise.all(
        ['app1', 'app2', 'app3'].map((n, i) =>
          httpBackend(n, `127.0.35.${i + 1}`, { appCookie: 'JSESSIONID' }),
        ),
      );
      tcp = await Promise.all(['tcp1', 'tcp2'].map((n, i) => tcpBackend(n, `127.0.33.${i + 1}`)));
      udp = await udpBackend('udp1', '127.0.36.1');
      raw = await rawTcpBackend('raw1', '127.0.36.2');
      server = await startServe({ env: { SLUICE_ADMIN_PASSWORD: PASSWORD, SLUICE_PROVIDER: PROVIDER } });
      api = await apiClient(server.url, PASSWORD);
      const lb = await api.createLoadBalancer({ provider: PROVIDER });
      vip = lb.vip_address;
    });
    after(async () => {
      for (const client of held) client.close();
      await server?.stop();
      await Promise.all(
        [...(web ?? []), ...(apps ?? []), ...(tcp ?? []), udp, raw].filter(Boolean).map((b) => b.close()),
      );
    });

    it('sends new connections to the other member while one member holds long-running connections (LEAST_CONNECTIONS)', async () => {
      const ids = await service(
        { protocol: 'TCP', protocol_port: PORT.leastConn },
        { lb_algorithm: 'LEAST_CONNECTIONS' },
        [{ backend: tcp[0] }],
      );
      // Three connections that stay open, all on tcp1 (the only member so far).
      for (let i = 0; i < 3; i += 1) {
        const opened = await openTcp(vip, PORT.leastConn, 'hold');
        assert.ok(opened, 'a held connection was served');
        assert.match(opened.reply, /^tcp1:/);
        held.push(opened.client);
      }
      await api.change('POST', `/v2/lbaas/pools/${ids.pool}/members`, {
        member: { address: tcp[1].address, protocol_port: tcp[1].port },
      });
      const replies: string[] = [];
      for (let i = 0; i < 6; i += 1)
        replies.push(((await tcpTry(vip, PORT.leastConn, 'new')) ?? 'none:').split(':')[0]);
      assert.deepEqual(tally(replies), { tcp2: 6 });
      // The held connections still work.
      for (const client of held.splice(0)) {
        assert.match((await client.send('again')) ?? 'closed', /^tcp1:again/);
        client.close();
      }
    });

    it('keeps every request from one client address on one member (SOURCE_IP algorithm and SOURCE_IP persistence)', async () => {
      const ids = await service(
        { protocol: 'HTTP', protocol_port: PORT.sourceIp },
        { lb_algorithm: 'SOURCE_IP' },
        web.map((backend) => ({ backend })),
      );
      const clients = ['127.0.0.1', '127.0.36.101', '127.0.36.102', '127.0.36.103', '127.0.36.104'];
      const byAlgorithm: string[] = [];
      for (const localAddress of clients) {
        const seen = tally(await names(PORT.sourceIp, 6, { localAddress }));
        assert.equal(Object.keys(seen).length, 1, `one member for ${localAddress}: ${JSON.stringify(seen)}`);
        byAlgorithm.push(Object.keys(seen)[0]);
      }
      // Round robin with SOURCE_IP persistence: each new address takes the next member, then sticks to it.
      await api.change('PUT', `/v2/lbaas/pools/${ids.pool}`, {
        pool: { lb_algorithm: 'ROUND_ROBIN', session_persistence: { type: 'SOURCE_IP' } },
      });
      const first: string[] = [];
      for (const localAddress of clients.slice(0, 3)) {
        const seen = tally(await names(PORT.sourceIp, 6, { localAddress }));
        assert.equal(Object.keys(seen).length, 1, `one member for ${localAddress}: ${JSON.stringify(seen)}`);
        first.push(Object.keys(seen)[0]);
      }
      assert.deepEqual(
        [...first].sort(),
        ['web1', 'web2', 'web3'],
        'three new addresses spread over the members',
      );
    });

    it('keeps a client that returns the inserted cookie on one member and spreads clients without it (HTTP_COOKIE)', async () => {
      await service(
        { protocol: 'HTTP', protocol_port: PORT.httpCookie },
        { session_persistence: { type: 'HTTP_COOKIE' } },
        web.map((backend) => ({ backend })),
      );
      const first = await httpGet(url(PORT.httpCookie));
      const setCookie = (first.headers['set-cookie'] ?? []).map((line) => line.split(';')[0]);
      assert.equal(
        setCookie.length,
        1,
        `one cookie inserted: ${JSON.stringify(first.headers['set-cookie'])}`,
      );
      const cookie = setCookie[0];
      const sticky = tally(await names(PORT.httpCookie, 9, { headers: { cookie } }));
      assert.deepEqual(sticky, { [first.json().name]: 9 });
      const spread = tally(await names(PORT.httpCookie, 9));
      assert.deepEqual(Object.keys(spread).sort(), ['web1', 'web2', 'web3'], JSON.stringify(spread));
    });

    it("routes requests carrying the member's own session cookie back to that member (APP_COOKIE)", async () => {
      await service(
        { protocol: 'HTTP', protocol_port: PORT.appCookie },
        { session_persistence: { type: 'APP_COOKIE', cookie_name: 'JSESSIONID' } },
        apps.map((backend) => ({ backend })),
      );
      for (let session = 0; session < 2; session += 1) {
        const first = await httpGet(url(PORT.appCookie));
        const line = (first.headers['set-cookie'] ?? []).find((c) => c.startsWith('JSESSIONID='));
        assert.ok(line, `the member set its cookie: ${JSON.stringify(first.headers['set-cookie'])}`);
        const cookie = line.split(';')[0];
        const sticky = tally(await names(PORT.appCookie, 8, { headers: { cookie } }));
        assert.deepEqual(sticky, { [first.json().name]: 8 }, `${cookie} stays on ${first.json().name}`);
      }
      const spread = tally(await names(PORT.appCookie, 9));
      assert.deepEqual(Object.keys(spread).sort(), ['app1', 'app2', 'app3'], JSON.stringify(spread));
    });

    it('serves from the backup member only while the primary is admin-down', async () => {
      const ids = await service({ protocol: 'HTTP', protocol_port: PORT.backup }, {}, [
        { backend: web[0] },
        { backend: web[1], body: { backup: true } },
      ]);
      assert.deepEqual(tally(await names(PORT.backup, 6)), { web1: 6 });
      await putMember(ids.pool, ids.members[0], { admin_state_up: false });
      assert.deepEqual(tally(await names(PORT.backup, 6)), { web2: 6 });
      await putMember(ids.pool, ids.members[0], { admin_state_up: true });
      assert.deepEqual(tally(await names(PORT.backup, 6)), { web1: 6 });
    });

    it('sends no new request to a member whose weight is 0', async () => {
      const ids = await service(
        { protocol: 'HTTP', protocol_port: PORT.drain },
        {},
        web.slice(0, 2).map((backend) => ({ backend })),
      );
      assert.deepEqual(tally(await names(PORT.drain, 4)), { web1: 2, web2: 2 });
      await putMember(ids.pool, ids.members[1], { weight: 0 });
      const before = web[1].hits;
      assert.deepEqual(tally(await names(PORT.drain, 8)), { web1: 8 });
      assert.equal(web[1].hits, before, 'the drained backend saw no request');
    });

    it('refuses connections over connection_limit, keeps serving the open ones, and reports the listener DEGRADED', async () => {
      const ids = await service({ protocol: 'TCP', protocol_port: PORT.limit, connection_limit: 2 }, {}, [
        { backend: tcp[0] },
      ]);
      const listenerStatus = async () =>
        (
          (await api.call('GET', `/v2/lbaas/listeners/${ids.listener}`)).body.listener as {
            operating_status: string;
          }
        ).operating_status;
      const open: TcpClient[] = [];
      for (let i = 0; i < 2; i += 1) {
        const opened = await openTcp(vip, PORT.limit, `in${i}`);
        assert.ok(opened, `connection ${i + 1} of 2 is served`);
        held.push(opened.client);
        open.push(opened.client);
      }
      assert.equal(
        await tcpTry(vip, PORT.limit, 'over', { timeoutMs: 1500 }),
        null,
        'the third connection is not served',
      );
      for (const client of open) assert.match((await client.send('still')) ?? 'closed', /^tcp1:still/);
      const full = await pollUntil(listenerStatus, (s) => s === 'DEGRADED', 3000);
      assert.equal(full.value, 'DEGRADED', `listener operating_status after ${full.elapsedMs} ms`);
      assert.ok(full.elapsedMs <= 2500, `DEGRADED within ~2 s (took ${full.elapsedMs} ms)`);
      for (const client of open) client.close();
      held.splice(0);
      const freed = await pollUntil(listenerStatus, (s) => s === 'ONLINE', 3000);
      assert.equal(freed.value, 'ONLINE', 'ONLINE again once the connections closed');
      assert.match((await tcpTry(vip, PORT.limit, 'later')) ?? 'none', /^tcp1:later/);
    });

    it('echoes UDP datagrams from a UDP member through the VIP', async () => {
      if (NO_UDP.includes(PROVIDER)) {
        // HAProxy does not proxy UDP: the API must refuse it up front, never accept and ignore it.
        const refused = await api.call('POST', '/v2/lbaas/listeners', {
          listener: { loadbalancer_id: api.loadBalancerId, protocol: 'UDP', protocol_port: PORT.udp },
        });
        assert.equal(refused.status, 501);
        assert.equal(
          refused.body.faultstring,
          `Provider '${PROVIDER}' does not support a requested option: listener protocol UDP`,
        );
        return;
      }
      await service({ protocol: 'UDP', protocol_port: PORT.udp }, { protocol: 'UDP' }, [{ backend: udp }]);
      assert.equal(await udpRoundTrip(vip, PORT.udp, 'ping'), 'udp1:ping');
      assert.equal(await udpRoundTrip(vip, PORT.udp, 'pong'), 'udp1:pong');
    });

    it('sends a PROXY protocol v1 header with the client and VIP addresses to a PROXY pool member before any data', async () => {
      await service({ protocol: 'TCP', protocol_port: PORT.proxy }, { protocol: 'PROXY' }, [
        { backend: raw },
      ]);
      const opened = await openTcp(vip, PORT.proxy, 'hello\n');
      assert.ok(opened, 'the connection was served');
      const clientPort = opened.client.socket.localPort;
      const got = await pollUntil(
        async () => raw.received[0] ?? '',
        (text) => text.includes('hello\n'),
        2000,
      );
      opened.client.close();
      assert.equal(got.value, `PROXY TCP4 127.0.0.1 ${vip} ${clientPort} ${PORT.proxy}\r\nhello\n`);
    });

    it('refuses clients outside allowed_cidrs and serves clients inside them', async () => {
      await service({ protocol: 'TCP', protocol_port: PORT.cidrDenied, allowed_cidrs: ['10.0.0.0/8'] }, {}, [
        { backend: tcp[0] },
      ]);
      await service(
        { protocol: 'TCP', protocol_port: PORT.cidrAllowed, allowed_cidrs: ['127.0.0.0/24'] },
        {},
        [{ backend: tcp[0] }],
      );
      assert.equal(await tcpTry(vip, PORT.cidrDenied, 'hi', { timeoutMs: 1500 }), null, 'refused outside');
      assert.equal(await tcpTry(vip, PORT.cidrAllowed, 'hi'), 'tcp1:hi', 'served inside');
      assert.equal(
        await tcpTry(vip, PORT.cidrAllowed, 'hi', { localAddress: '127.0.36.200', timeoutMs: 1500 }),
        null,
        'a client address outside 127.0.0.0/24 is refused',
      );
    });

    it('counts connections and bytes in the load balancer stats', async () => {
      await service({ protocol: 'HTTP', protocol_port: PORT.stats }, {}, [{ backend: web[2] }]);
      type Stats = { total_connections: number; bytes_in: number; bytes_out: number };
      const stats = async () =>
        (await api.call('GET', `/v2/lbaas/loadbalancers/${api.loadBalancerId}/stats`)).body.stats as Stats;
      await sleep(1100); // one aggregation pass, so earlier tests' traffic is in the baseline
      const baseline = await stats();
      for (let i = 0; i < 5; i += 1) assert.equal((await httpGet(url(PORT.stats))).status, 200);
      const grown = await pollUntil(
        stats,
        (s) =>
          s.total_connections >= baseline.total_connections + 5 &&
          s.bytes_in > baseline.bytes_in &&
          s.bytes_out > baseline.bytes_out,
        3000,
      );
      assert.ok(
        grown.value.total_connections >= baseline.total_connections + 5,
        `total_connections ${baseline.total_connections} → ${grown.value.total_connections}`,
      );
      assert.ok(
        grown.value.bytes_in > baseline.bytes_in,
        `bytes_in ${baseline.bytes_in} → ${grown.value.bytes_in}`,
      );
      assert.ok(
        grown.value.bytes_out > baseline.bytes_out,
        `bytes_out ${baseline.bytes_out} → ${grown.value.bytes_out}`,
      );
      assert.ok(grown.elapsedMs <= 2500, `stats grew within ~2 s (took ${grown.elapsedMs} ms)`);
    });

    it("counts every request of each member, exactly, in the API's /metrics, `sluice top` and `sluice events`", async () => {
      const made = await service({ protocol: 'HTTP', protocol_port: PORT.metrics }, {}, [
        { backend: web[0] },
        { backend: web[1] },
      ]);
      const sent = tally(await names(PORT.metrics, 9));
      const expected = { [made.members[0]]: sent.web1 ?? 0, [made.members[1]]: sent.web2 ?? 0 };
      /** The value of the sample of `name` whose labels include `labels` (`key="value"` text). */
      const sample = (text: string, name: string, labels: string) =>
        Number(
          text
            .split('\n')
            .find((line) => line.startsWith(`${name}{`) && line.includes(labels))
            ?.split(' ')
            .at(-1) ?? Number.NaN,
        );
      const scrape = async () => (await fetch(`${server.url}/metrics`)).text();
      const settled = await pollUntil(
        scrape,
        (text) =>
          made.members.every(
            (m) => sample(text, 'octavia_member_sessions_total', `member="${m}"`) === expected[m],
          ),
        5000,
      );
      for (const member of made.members) {
        assert.equal(
          sample(settled.value, 'octavia_member_sessions_total', `member="${member}"`),
          expected[member],
          settled.value,
        );
        assert.equal(
          sample(settled.value, 'octavia_member_http_responses_total', `member="${member}",code="2xx"`),
          expected[member],
        );
      }
      assert.equal(expected[made.members[0]] + expected[made.members[1]], 9);
      // Bytes each way per member: a request line and headers went to it, a response came back.
      for (const member of made.members.filter((m) => expected[m] > 0)) {
        for (const way of ['in', 'out'])
          assert.ok(
            sample(settled.value, `octavia_member_bytes_${way}_total`, `member="${member}"`) > 0,
            way,
          );
      }
      // The native data plane also times each HTTP request: all nine in its listener's histogram.
      if (PROVIDER === 'native')
        assert.equal(
          sample(
            settled.value,
            'sluice_listener_request_duration_seconds_count',
            `listener="${made.listener}"`,
          ),
          9,
        );

      // The same counts through the API and the CLI, as a tenant sees them: `sluice top` and `sluice events`.
      const home = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-top-'));
      const env = await passwordOpenrcEnv(server.url, PASSWORD, home);
      const top = await runSluice(
        ['top', api.loadBalancerId, '--count', '1', '--interval', '0.2'],
        env,
        home,
      );
      assert.equal(top.code, 0, top.stderr);
      for (const member of made.members) {
        // MEMBER POOL STATUS REQ/S OPEN 2XX 4XX 5XX: nothing was sent during the frame, all of it before.
        assert.match(
          top.stdout,
          new RegExp(`^${member} +${made.pool} +(UP|no check) +0\\.0 +0 +${expected[member]} +0 +0$`, 'm'),
          top.stdout,
        );
      }
      const events = await runSluice(
        ['events', api.loadBalancerId, '-o', 'json', '--limit', '1000'],
        env,
        home,
      );
      assert.equal(events.code, 0, events.stderr);
      const activated = (
        JSON.parse(events.stdout) as { resource_id: string; to: string; reason: string }[]
      ).filter((e) => made.members.includes(e.resource_id) && e.to === 'ACTIVE');
      assert.equal(activated.length, 2, events.stdout);
      for (const e of activated) assert.match(e.reason, /^applied by agent /);
      fs.rmSync(home, { recursive: true, force: true });
    });

    it("writes one access log line per HTTP request, in Octavia's format with its status, readable through the API and `sluice logs [-f]`", async () => {
      const ids = await service({ protocol: 'HTTP', protocol_port: PORT.accessLog }, {}, [
        { backend: web[0] },
      ]);
      const paths = [
        '/a',
        '/status/404/b',
        '/c',
        '/d',
        '/status/404/e',
        '/f',
        '/g',
        '/status/404/h',
        '/i',
        '/j',
      ];
      for (const path of paths) {
        const status = (await httpGet(url(PORT.accessLog, path))).status;
        assert.equal(status, path.startsWith('/status/404') ? 404 : 200);
      }
      type Logs = { logs: { id: number; listener_id: string; line: string }[]; dropped: number };
      const logsPath = `/sluice/v1/loadbalancers/${api.loadBalancerId}/logs?listener_id=${ids.listener}`;
      const read = async () => (await api.call('GET', logsPath)).body as unknown as Logs;
      // Lines reach the API with the agent's reports (every heartbeat).
      const { value } = await pollUntil(read, (l) => l.logs.length >= paths.length, 10_000);
      assert.equal(value.logs.length, paths.length, JSON.stringify(value.logs.slice(-3)));
      const lb = (await api.call('GET', `/v2/lbaas/loadbalancers/${api.loadBalancerId}`)).body
        .loadbalancer as { project_id: string };
      // '{{ project_id }} {{ lb_id }} %f %ci %cp %t %{+Q}r %ST %B %U %[ssl_c_verify] %{+Q}[ssl_c_s_dn] %b %s %Tt %tsc'
      const format =
        /^(\S+) (\S+) (\S+) 127\.0\.0\.1 \d+ \d\d\/\w{3}\/\d{4}:\d\d:\d\d:\d\d\.\d{3} "GET (\S+) HTTP\/1\.1" (\d{3}) \d+ \d+ - "" (\S+) (\S+) \d+ ----$/;
      const parsed = value.logs.map((l) => {
        const match = format.exec(l.line);
        assert.ok(match, l.line);
        return match.slice(1);
      });
      for (const [project, lbId, listener, , , pool, member] of parsed) {
        assert.deepEqual(
          [project, lbId, listener, pool, member],
          [lb.project_id, api.loadBalancerId, ids.listener, ids.pool, ids.members[0]],
        );
      }
      assert.deepEqual(
        parsed.map(([, , , path, status]) => `${path} ${status}`),
        paths.map((p) => `${p} ${p.startsWith('/status/404') ? 404 : 200}`),
      );
      assert.equal(value.dropped, 0);
      // Nothing is stored twice: the next read after the last line is empty.
      const after = (await api.call('GET', `${logsPath}&marker=${value.logs.at(-1)?.id}`))
        .body as unknown as Logs;
      assert.deepEqual(after.logs, []);

      // `sluice logs LB --listener L` prints the same lines; with -f it then waits for more, one per request.
      const home = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-logs-'));
      const env = await passwordOpenrcEnv(server.url, PASSWORD, home);
      const printed = await runSluice(['logs', api.loadBalancerId, '--listener', ids.listener], env, home);
      assert.equal(printed.code, 0, printed.stderr);
      assert.deepEqual(
        printed.stdout.trimEnd().split('\n'),
        value.logs.map((l) => l.line),
      );
      const follower = spawn(
        process.execPath,
        [SLUICE_BIN, 'logs', api.loadBalancerId, '-f', '--listener', ids.listener],
        {
          env,
          cwd: home,
        },
      );
      let followed = '';
      follower.stdout.on('data', (chunk) => {
        followed += chunk;
      });
      try {
        await pollUntil(
          async () => followed,
          (text) => text.split('\n').length > paths.length,
          10_000,
        );
        assert.equal((await httpGet(url(PORT.accessLog, '/followed'))).status, 200);
        const grown = await pollUntil(
          async () => followed,
          (text) => text.includes('"GET /followed HTTP/1.1" 200'),
          10_000,
        );
        assert.ok(grown.value.includes('"GET /followed HTTP/1.1" 200'), grown.value);
      } finally {
        follower.kill('SIGTERM');
        fs.rmSync(home, { recursive: true, force: true });
      }
    });

    it("serves the load balancer's metrics on a PROMETHEUS listener, to allowed_cidrs only", async () => {
      const created = await api.change('POST', '/v2/lbaas/listeners', {
        listener: {
          loadbalancer_id: api.loadBalancerId,
          protocol: 'PROMETHEUS',
          protocol_port: PORT.prometheus,
          allowed_cidrs: ['127.0.0.0/24'],
        },
      });
      const own = (created.listener as { id: string }).id;
      const scrape = await pollUntil(
        () => httpGet(url(PORT.prometheus, '/metrics')).catch(() => ({ status: 0, text: '' })),
        (r) => r.status === 200 && r.text.includes(`octavia_listener_sessions_total{listener="${own}"}`),
        5000,
      );
      assert.equal(scrape.value.status, 200);
      // Its own load balancer's listeners and members, under Octavia's names and without a loadbalancer label.
      assert.match(scrape.value.text, /^# TYPE octavia_member_sessions_total counter$/m);
      assert.match(
        scrape.value.text,
        /^octavia_member_http_responses_total\{pool="[^"]+",member="[^"]+",code="2xx"\} \d+$/m,
      );
      assert.equal((await httpGet(url(PORT.prometheus, '/other'))).status, 404);
      await assert.rejects(
        httpGet(url(PORT.prometheus, '/metrics'), { localAddress: '127.0.36.200' }),
        'a client outside allowed_cidrs is refused',
      );
    });
  });
}
