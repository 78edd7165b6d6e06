// The wrk runner against real local HTTP servers: a run stopped early still reports what it did, and failed
// requests show up as error responses or socket errors (so a test asserting zero of them can fail).
import assert from 'node:assert/strict';
import http from 'node:http';
import type net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { parseWrk, startWrk, wrkMissing } from './wrk-run.ts';

describe('the wrk runner', { skip: wrkMissing }, () => {
  let server: http.Server;
  let base: string;
  let served = 0;

  before(async () => {
    server = http.createServer((request, response) => {
      served += 1;
      if (request.url === '/reset') {
        request.socket.destroy();
        return;
      }
      response.statusCode = request.url === '/fail' ? 503 : 200;
      response.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.14.3', resolve));
    base = `http://127.0.14.3:${(server.address() as net.AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  /** Runs until the server has answered `count` more requests (bounded to 15 s), then stops wrk. */
  async function runFor(path: string, count: number, headers?: string[]) {
    const target = served + count;
    const run = startWrk(`${base}${path}`, { connections: 2, durationSeconds: 20, headers });
    for (let i = 0; i < 300 && served < target; i += 1) await new Promise((r) => setTimeout(r, 50));
    return run.stop();
  }

  it('reports the requests of a run stopped before its duration, with no errors', async () => {
    const result = await runFor('/', 50, ['Connection: close']);
    assert.ok(result.requests >= 1, result.output);
    assert.deepEqual(result.socketErrors, { connect: 0, read: 0, write: 0, timeout: 0 });
    assert.equal(result.errorResponses, 0);
  });

  it('counts responses with an error status', async () => {
    const result = await runFor('/fail', 50);
    assert.ok(result.errorResponses >= 1, result.output);
  });

  it('counts connections closed without a response as socket errors', async () => {
    const result = await runFor('/reset', 50);
    assert.ok(result.socketErrors.read >= 1, result.output);
  });

  it('refuses output without a summary', () => {
    assert.throws(() => parseWrk('unable to connect to 127.0.0.1:1 Connection refused'), /no wrk summary/);
  });
});
