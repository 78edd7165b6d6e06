// The haproxy provider's access log with a real HAProxy: one line per HTTP request and per TCP connection,
// received on the load balancer's access log socket, in the native data plane's format; lines logged while no
// provider listens (its agent killed) reach the next one.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
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

/** A provider in a process of its own that applies `desired`, prints `applied` and serves on until killed. */
function providerProcess(runDir: string, desired: unknown) {
  const code = `
    const { HaproxyProvider } = await import(${JSON.stringify(import.meta.resolve('./haproxy-provider.ts'))});
    const provider = new HaproxyProvider({ runDir: ${JSON.stringify(runDir)}, haproxyBinary: ${JSON.stringify(HAPROXY)} });
    await provider.apply(${JSON.stringify(desired)});
    console.log('applied');
    setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const applied = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('applied') && resolve());
    child.once('exit', (status) => reject(new Error(`provider process exited with ${status}`)));
  });
  return { child, applied };
}

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

  it('hands the lines logged while no provider listened (its process killed) to the provider that adopts it', async () => {
    const port = await freePort(VIP);
    const desired = loadBalancer(
      'lb-access-log-adopted',
      VIP,
      [listener('l-adopted', port, { defaultPoolId: 'p-adopted' })],
      [pool('p-adopted', [member('m-adopted', web.address, web.port)])],
    );
    const first = providerProcess(runDir, desired);
    await first.applied;
    first.child.kill('SIGKILL');
    await new Promise((resolve) => first.child.once('exit', resolve));
    // Nobody listens now: HAProxy keeps these lines in its ring.
    assert.equal((await get(VIP, port, '/while-alone')).status, 200);
    await provider.apply(desired);
    const lines: string[] = [];
    await waitFor(
      () => {
        lines.push(...(provider.drainLogs(desired.id, 100)?.lines ?? []));
        return lines.length;
      },
      (n) => n >= 1,
      5000,
    );
    assert.equal(lines.length, 1, lines.join('\n'));
    assert.match(lines[0], /^l-adopted 127\.0\.0\.1 \d+ \S+ "GET \/while-alone HTTP\/1\.1" 200 /);
    await provider.remove(desired.id);
  });

  it('writes no line and opens no socket with connection logging off', async () => {
    const quiet = new HaproxyProvider({
      runDir: `${runDir}-quiet`,
      haproxyBinary: HAPROXY,
      connectionLogging: false,
    });
    try {
      const port = await freePort(VIP);
      const desired = loadBalancer(
        'lb-access-log-quiet',
        VIP,
        [listener('l-quiet', port, { defaultPoolId: 'p-quiet' })],
        [pool('p-quiet', [member('m-quiet', web.address, web.port)])],
      );
      await quiet.apply(desired);
      assert.equal((await get(VIP, port, '/unlogged')).status, 200);
      const config = fs.readFileSync(path.join(`${runDir}-quiet`, desired.id, 'haproxy.cfg'), 'utf8');
      assert.doesNotMatch(config, /^\s*log /m);
      assert.equal(quiet.drainLogs(desired.id, 100), undefined);
    } finally {
      await quiet.close();
      fs.rmSync(`${runDir}-quiet`, { recursive: true, force: true });
    }
  });
});
