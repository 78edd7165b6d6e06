// The haproxy provider's access log with a real HAProxy: one line per HTTP request and per TCP connection,
// received on the provider's loopback socket and taken by load balancer, in the native data plane's format.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
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
  pool,
  skipWithoutHaproxy,
  waitFor,
} from './haproxy-test-fixtures.ts';

const VIP = '127.0.42.30';
const LB = 'lb-access-log';

describe('haproxy provider access log', { skip: skipWithoutHaproxy }, () => {
  const runDir = path.join(os.tmpdir(), `sluice-hap-${process.pid}-access-log`);
  const provider = new HaproxyProvider({ runDir, haproxyBinary: HAPROXY });
  let web: Backend;
  let echo: net.Server;
  let echoPort = 0;
  before(async () => {
    web = await httpBackend('web', '127.0.42.31');
    echo = net.createServer((socket) => socket.end('hi'));
    await new Promise<void>((resolve) => echo.listen(0, '127.0.42.32', resolve));
    echoPort = (echo.address() as net.AddressInfo).port;
  });
  after(async () => {
    await provider.close();
    await web.close();
    echo.close();
    fs.rmSync(runDir, { recursive: true, force: true });
  });

  it('takes one line per HTTP request and per TCP connection, listener id first, oldest first', async () => {
    const [httpPort, tcpPort] = [await freePort(VIP), await freePort(VIP)];
    await provider.apply(
      loadBalancer(
        LB,
        VIP,
        [
          listener('l-http', httpPort, { defaultPoolId: 'p-http' }),
          listener('l-tcp', tcpPort, { protocol: 'TCP', defaultPoolId: 'p-tcp' }),
        ],
        [
          pool('p-http', [member('m-web', web.address, web.port)]),
          pool('p-tcp', [member('m-echo', '127.0.42.32', echoPort)], { protocol: 'TCP' }),
        ],
      ),
    );
    assert.equal((await get(VIP, httpPort, '/one')).status, 200);
    assert.equal((await get(VIP, httpPort, '/two')).status, 200);
    await new Promise<void>((resolve) => {
      const socket = net.connect(tcpPort, VIP, () => socket.write('x'));
      socket.on('data', () => {});
      socket.on('close', () => resolve());
    });
    const lines: string[] = [];
    await waitFor(
      () => {
        lines.push(...(provider.drainLogs(LB, 100)?.lines ?? []));
        return lines.length;
      },
      (n) => n >= 3,
      5000,
    );
    assert.equal(lines.length, 3, lines.join('\n'));
    const time = '\\d\\d/\\w{3}/\\d{4}:\\d\\d:\\d\\d:\\d\\d\\.\\d{3}';
    assert.match(
      lines[0],
      new RegExp(
        `^l-http 127\\.0\\.0\\.1 \\d+ ${time} "GET /one HTTP/1\\.1" 200 \\d+ \\d+ - "" p-http m-web \\d+ ----$`,
      ),
    );
    assert.match(lines[1], /^l-http 127\.0\.0\.1 \d+ \S+ "GET \/two HTTP\/1\.1" 200 /);
    assert.match(
      lines[2],
      new RegExp(`^l-tcp 127\\.0\\.0\\.1 \\d+ ${time} - - 2 1 - "" p-tcp m-echo \\d+ ----$`),
    );
  });
});
