// HTTP/1.1 on the raw-socket path by traffic: pipelining, chunked and bodiless messages, keep-alive on both
// sides, HTTP/1.0, 100-continue, upgrades, refused heads, and members that close early or stale.
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_TIMEOUTS } from '../../../model/desired-state.ts';
import { NativeProvider } from '../native-provider.ts';
import { freePort, listener, loadBalancer, member, pool } from '../native-test-fixtures.ts';

const VIP = '127.0.20.9';

type Talk = { text: string; closed: boolean };

/** Writes `parts` (one write each, 20 ms apart) and reads until `done(text)`, the server closes, or 3 s. */
function talk(port: number, parts: string[], done: (text: string) => boolean = () => false): Promise<Talk> {
  return new Promise((resolve) => {
    const socket = net.connect(port, VIP);
    let text = '';
    let finished = false;
    const finish = (closed: boolean) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ text, closed });
    };
    const timer = setTimeout(() => finish(false), 3000);
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      text += chunk;
      if (done(text)) setTimeout(() => finish(socket.readableEnded), 30);
    });
    socket.on('end', () => finish(true));
    socket.on('error', () => finish(true));
    let i = 0;
    const next = () => {
      if (i < parts.length && !finished) socket.write(parts[i++], 'latin1', () => setTimeout(next, 20));
    };
    next();
  });
}

const count = (text: string, pattern: RegExp) => (text.match(pattern) ?? []).length;

/** A scripted member on raw sockets: `onData` sees each connection's bytes so far. */
async function rawMember(address: string, onData: (socket: net.Socket, seen: string, index: number) => void) {
  let connections = 0;
  const live = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    const index = connections++;
    live.add(socket);
    socket.on('close', () => live.delete(socket));
    let seen = '';
    socket.setEncoding('latin1');
    socket.on('error', () => {});
    socket.on('data', (chunk: string) => {
      seen += chunk;
      onData(socket, seen, index);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, address, resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of live) socket.destroy();
      }),
  };
}

describe('native provider, HTTP/1.1 on raw sockets', () => {
  const provider = new NativeProvider();
  let web: http.Server;
  let webPort = 0;
  let webConnections = 0;
  before(async () => {
    // Echoes method, url and body; a few paths answer in special ways.
    web = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString();
        if (req.url === '/204') res.writeHead(204).end();
        else if (req.url === '/304') res.writeHead(304, { etag: '"x"' }).end();
        else if (req.url === '/big') res.end(Buffer.alloc(4 << 20, 'x'));
        else if (req.url === '/length') res.end(String(Buffer.concat(chunks).length));
        else if (req.url === '/chunked') {
          res.write(`${req.method} `);
          res.end(body);
        } else {
          // An explicit length, which Node also sends (without the body) when answering HEAD.
          const text = `${req.method} ${req.url} ${body}`;
          res.setHeader('content-length', Buffer.byteLength(text));
          res.end(text);
        }
      });
    });
    web.on('connection', () => {
      webConnections++;
    });
    await new Promise<void>((resolve) => web.listen(0, '127.0.18.1', resolve));
    webPort = (web.address() as net.AddressInfo).port;
  });
  after(async () => {
    await provider.close();
    web.closeAllConnections();
    await new Promise<void>((resolve) => web.close(() => resolve()));
  });

  async function serve(address = '127.0.18.1', port = webPort) {
    const listenerPort = await freePort(VIP);
    const p = pool([member(address, port)]);
    const lb = loadBalancer(VIP, [listener(listenerPort, { defaultPoolId: p.id })], [p]);
    await provider.apply(lb);
    return { port: listenerPort, lb };
  }

  it('answers pipelined requests in order on one client connection', async () => {
    const { port, lb } = await serve();
    const three = ['/one', '/two', '/three'].map((p) => `GET ${p} HTTP/1.1\r\nHost: x\r\n\r\n`).join('');
    const { text } = await talk(port, [three], (t) => t.includes('GET /three'));
    const bodies = [...text.matchAll(/GET (\/\w+) /g)].map((m) => m[1]);
    assert.deepEqual(bodies, ['/one', '/two', '/three']);
    await provider.remove(lb.id);
  });

  it('keeps body bytes and a split pipelined head intact while later reads reuse the shared read buffer', async () => {
    const { port, lb } = await serve();
    // Each part is one read into the listener's shared buffer (listener-read-through.ts), 20 ms apart: the
    // body begun in the first, the second request's head split over the second and third, the third
    // request's body behind its head. Bytes kept as views of that buffer would be overwritten by the next read.
    const parts = [
      'POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nhello',
      'worldPOST /b HTTP/1.1\r\nHo',
      'st: x\r\nContent-Length: 6\r\n\r\nabc',
      'defGET /c HTTP/1.1\r\nHost: x\r\n\r\n',
    ];
    const { text } = await talk(port, parts, (t) => t.includes('GET /c'));
    const answers = [...text.matchAll(/\r\n\r\n((?:POST|GET) \/\w [a-z]*)/g)].map((m) => m[1]);
    assert.deepEqual(answers, ['POST /a helloworld', 'POST /b abcdef', 'GET /c ']);
    assert.equal(count(text, /HTTP\/1\.1 200 /g), 3);
    await provider.remove(lb.id);
  });

  it('forwards a chunked request body and relays a chunked response', async () => {
    const { port, lb } = await serve();
    const head = 'POST /chunked HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n';
    const { text } = await talk(port, [head, '3\r\nabc\r\n', '4\r\ndefg\r\n0\r\n\r\n'], (t) =>
      t.endsWith('0\r\n\r\n'),
    );
    assert.match(text, /^HTTP\/1\.1 200 OK\r\n/);
    assert.match(text, /\r\nTransfer-Encoding: chunked\r\n/i);
    assert.doesNotMatch(text, /\r\nkeep-alive:/i, "the member's Keep-Alive field is hop-by-hop");
    assert.equal(text.split('\r\n\r\n')[1].replace(/\r\n[0-9a-f]+\r\n/g, ''), '5\r\nPOST abcdefg\r\n0');
    await provider.remove(lb.id);
  });

  it('relays no body for HEAD, 204 and 304, and keeps the connection for the next request', async () => {
    const { port, lb } = await serve();
    const requests = ['HEAD /', 'GET /204', 'GET /304', 'GET /last']
      .map((r) => `${r} HTTP/1.1\r\nHost: x\r\n\r\n`)
      .join('');
    const { text, closed } = await talk(port, [requests], (t) => t.includes('GET /last'));
    assert.equal(count(text, /HTTP\/1\.1 \d{3}/g), 4);
    assert.match(text, /^HTTP\/1\.1 200 OK\r\n[\s\S]*?content-length: 7\r\n[\s\S]*?\r\n\r\nHTTP\/1\.1 204/);
    assert.match(text, /HTTP\/1\.1 204 No Content\r\n[\s\S]*?\r\n\r\nHTTP\/1\.1 304 Not Modified\r\n/);
    assert.ok(text.endsWith('GET /last '));
    assert.equal(closed, false);
    await provider.remove(lb.id);
  });

  it('reuses kept-alive member connections for requests of different clients', async () => {
    const { port, lb } = await serve();
    const before = webConnections;
    for (let i = 0; i < 5; i++) {
      const { text } = await talk(port, ['GET /r HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n']);
      assert.match(text, /\r\nconnection: close\r\n[\s\S]*GET \/r $/);
    }
    assert.equal(webConnections - before, 1);
    await provider.remove(lb.id);
  });

  it('closes after answering an HTTP/1.0 client, and keeps one that asks for keep-alive', async () => {
    const { port, lb } = await serve();
    const plain = await talk(port, ['GET /a HTTP/1.0\r\n\r\n']);
    assert.match(plain.text, /GET \/a $/);
    assert.equal(plain.closed, true);
    const kept = await talk(
      port,
      [
        'GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n',
        'GET /b HTTP/1.0\r\nConnection: keep-alive\r\n\r\n',
      ],
      (t) => t.includes('GET /b'),
    );
    assert.equal(count(kept.text, /\r\nconnection: keep-alive\r\n/g), 2, kept.text);
    assert.equal(kept.closed, false);
    await provider.remove(lb.id);
  });

  it('relays 100 Continue to a client that expects it before sending the body', async () => {
    const { port, lb } = await serve();
    const head = 'POST /c HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n';
    const socket = net.connect(port, VIP);
    socket.setEncoding('latin1');
    let text = '';
    const done = new Promise<void>((resolve) => {
      socket.on('data', (chunk: string) => {
        text += chunk;
        if (text.startsWith('HTTP/1.1 100 Continue\r\n\r\n') && !text.includes('body')) socket.write('body');
        if (text.endsWith('POST /c body')) resolve();
      });
    });
    socket.write(head);
    await done;
    socket.destroy();
    assert.match(text, /^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 200 OK\r\n/);
    await provider.remove(lb.id);
  });

  it('answers 400 and closes for a head larger than HAProxy accepts, or an ambiguous body length', async () => {
    const { port, lb } = await serve();
    const huge = await talk(port, [`GET / HTTP/1.1\r\nX-Big: ${'a'.repeat(20000)}\r\n\r\n`]);
    assert.match(huge.text, /^HTTP\/1\.1 400 Bad Request\r\n[\s\S]*connection: close/);
    assert.equal(huge.closed, true);
    const smuggle = 'POST / HTTP/1.1\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n';
    const ambiguous = await talk(port, [smuggle]);
    assert.match(ambiguous.text, /^HTTP\/1\.1 400 /);
    assert.equal(ambiguous.closed, true);
    assert.equal(provider.report(lb.id)?.listeners[lb.listeners[0].id].counters.requestErrors, 2);
    await provider.remove(lb.id);
  });

  it('answers 502 when the member closes without answering', async () => {
    const rude = await rawMember('127.0.18.2', (socket) => socket.destroy());
    const { port, lb } = await serve('127.0.18.2', rude.port);
    const { text } = await talk(port, ['GET / HTTP/1.1\r\nHost: x\r\n\r\n'], (t) => t.includes('</html>'));
    assert.match(text, /^HTTP\/1\.1 502 Bad Gateway\r\n/);
    await provider.remove(lb.id);
    await rude.close();
  });

  it('answers 502 to a response framed by a coding other than chunked, or with broken chunks, never reusing its connection', async () => {
    // RFC 9112 §6.3 rule 3 and §7.1: the proxy cannot tell where these end; HAProxy answers 502 to both.
    const answers: Record<string, string> = {
      '/gzip': 'HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nabc',
      '/empty-te': 'HTTP/1.1 200 OK\r\nTransfer-Encoding:\r\nContent-Length: 2\r\n\r\nok',
      '/bad-chunk': 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n0\r\n\r\n',
    };
    const bad = await rawMember('127.0.18.6', (socket, seen) => {
      const path = /^GET (\S+) /.exec(seen)?.[1] ?? '';
      if (seen.endsWith('\r\n\r\n')) socket.write(answers[path]);
    });
    const { port, lb } = await serve('127.0.18.6', bad.port);
    for (const path of Object.keys(answers)) {
      const { text } = await talk(port, [`GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`], (t) =>
        t.includes('</html>'),
      );
      assert.match(text, /^HTTP\/1\.1 502 Bad Gateway\r\n/, path);
    }
    assert.equal(bad.connections(), 3, 'a member connection that sent an unusable response is closed');
    await provider.remove(lb.id);
    await bad.close();
  });

  it('answers 502 to a response head larger than HAProxy accepts, even when it arrives whole', async () => {
    const big = await rawMember('127.0.18.8', (socket, seen) => {
      if (seen.endsWith('\r\n\r\n'))
        socket.write(`HTTP/1.1 200 OK\r\nX-Big: ${'a'.repeat(16000)}\r\nContent-Length: 2\r\n\r\nok`);
    });
    const { port, lb } = await serve('127.0.18.8', big.port);
    const { text } = await talk(port, ['GET / HTTP/1.1\r\nHost: x\r\n\r\n'], (t) => t.includes('</html>'));
    assert.match(text, /^HTTP\/1\.1 502 Bad Gateway\r\n/);
    await provider.remove(lb.id);
    await big.close();
  });

  it('cuts the client connection when chunk framing breaks after the head was relayed, passing no broken byte', async () => {
    const late = await rawMember('127.0.18.7', (socket, seen) => {
      if (!seen.endsWith('\r\n\r\n')) return;
      socket.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n');
      setTimeout(() => socket.write('zz\r\nsmuggled\r\n0\r\n\r\n'), 50);
    });
    const { port, lb } = await serve('127.0.18.7', late.port);
    const { text, closed } = await talk(port, ['GET / HTTP/1.1\r\nHost: x\r\n\r\n']);
    assert.match(text, /^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\n\r\n3\r\nabc\r\n$/);
    assert.equal(closed, true);
    await provider.remove(lb.id);
    await late.close();
  });

  it('relays a body that ends when the member closes, then closes the client connection', async () => {
    const old = await rawMember('127.0.18.3', (socket) => socket.end('HTTP/1.1 200 OK\r\n\r\nuntil close'));
    const { port, lb } = await serve('127.0.18.3', old.port);
    const { text, closed } = await talk(port, ['GET / HTTP/1.1\r\nHost: x\r\n\r\n']);
    assert.match(text, /^HTTP\/1\.1 200 OK\r\nconnection: close\r\n\r\nuntil close$/);
    assert.equal(closed, true);
    await provider.remove(lb.id);
    await old.close();
  });

  it('retries a body-less request on a new connection when a kept-alive one turns out closed', async () => {
    // The member answers the first request of each connection and drops the connection on the second,
    // as a member whose keep-alive timeout fired while the proxy was sending.
    const member = await rawMember('127.0.18.4', (socket, seen) => {
      const requests = count(seen, /\r\n\r\n/g);
      if (requests === 1) socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
      else socket.destroy();
    });
    const { port, lb } = await serve('127.0.18.4', member.port);
    for (let i = 0; i < 3; i++) {
      const { text } = await talk(port, ['GET / HTTP/1.1\r\nHost: x\r\n\r\n'], (t) => t.endsWith('ok'));
      assert.match(text, /^HTTP\/1\.1 200 OK\r\n/, `request ${i}`);
    }
    assert.equal(member.connections(), 3);
    await provider.remove(lb.id);
    await member.close();
  });

  it('tunnels the connection after the member switches protocols (101)', async () => {
    const ws = await rawMember('127.0.18.5', (socket, seen) => {
      if (seen.endsWith('\r\n\r\n')) {
        assert.match(seen, /\r\nUpgrade: websocket\r\n/);
        assert.match(seen, /\r\nconnection: upgrade\r\n/);
        socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n');
      } else if (seen.endsWith('ping')) socket.write('pong');
    });
    const { port, lb } = await serve('127.0.18.5', ws.port);
    const upgrade = 'GET /ws HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n';
    const { text } = await talk(port, [upgrade, 'ping'], (t) => t.endsWith('pong'));
    assert.match(text, /^HTTP\/1\.1 101 Switching Protocols\r\n[\s\S]*\r\n\r\npong$/);
    await provider.remove(lb.id);
    await ws.close();
  });

  it('streams megabyte bodies both ways, with a client that reads slowly', async () => {
    const { port, lb } = await serve();
    const upload = await new Promise<string>((resolve, reject) => {
      const req = http.request({ host: VIP, port, path: '/length', method: 'POST', agent: false }, (res) => {
        let text = '';
        res.on('data', (c) => {
          text += c;
        });
        res.on('end', () => resolve(text));
      });
      req.on('error', reject);
      for (let i = 0; i < 48; i++) req.write(Buffer.alloc(65536, 'y'));
      req.end();
    });
    assert.equal(upload, String(48 * 65536));
    const downloaded = await new Promise<number>((resolve, reject) => {
      http
        .get({ host: VIP, port, path: '/big', agent: false }, (res) => {
          let bytes = 0;
          res.on('data', (c: Buffer) => {
            bytes += c.length;
            // read slowly for a while so the proxy has to hold the member back
            if (bytes < 1 << 20) {
              res.pause();
              setTimeout(() => res.resume(), 2);
            }
          });
          res.on('end', () => resolve(bytes));
        })
        .on('error', reject);
    });
    assert.equal(downloaded, 4 << 20);
    await provider.remove(lb.id);
  });

  it('answers 400 to an HTTP/1.1 request without exactly one Host', async () => {
    const { port, lb } = await serve();
    assert.match((await talk(port, ['GET / HTTP/1.1\r\n\r\n'])).text, /^HTTP\/1\.1 400 /);
    const two = 'GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n';
    assert.match((await talk(port, [two])).text, /^HTTP\/1\.1 400 /);
    await provider.remove(lb.id);
  });

  it('closes a client connection silent for timeout_client_data before its first request and halfway through a head, and keeps one that answers in time', async () => {
    const listenerPort = await freePort(VIP);
    const p = pool([member('127.0.18.1', webPort)]);
    const timeouts = { ...DEFAULT_TIMEOUTS, clientData: 300 };
    const lb = loadBalancer(VIP, [listener(listenerPort, { defaultPoolId: p.id, timeouts })], [p]);
    await provider.apply(lb);
    const [silent, half] = await Promise.all([
      talk(listenerPort, []),
      talk(listenerPort, ['GET /late HTTP/1.1\r\nHo']),
    ]);
    assert.deepEqual([silent.closed, silent.text], [true, '']);
    assert.deepEqual([half.closed, half.text], [true, '']);
    // Parts 20 ms apart: each one is activity, so a head trickling in well within the timeout is served.
    const trickle = ['GET /t', 'rickle HTTP/1.1\r\n', 'Host: x\r\n', '\r\n'];
    const served = await talk(listenerPort, trickle, (t) => t.includes('GET /trickle'));
    assert.match(served.text, /^HTTP\/1\.1 200 /);
    await provider.remove(lb.id);
  });
});
