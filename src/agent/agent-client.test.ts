import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, it } from 'node:test';
import { freePort } from '../../test/helpers/serve-process.ts';
import type { AgentReport } from '../model/agent-protocol.ts';
import { AgentClient } from './agent-client.ts';

type Replica = { url: string; requests: string[] };
const servers: http.Server[] = [];
after(() => {
  for (const server of servers) server.closeAllConnections();
  return Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
});

/** A real HTTP server on 127.0.0.1 standing in for one API replica; it counts the requests it gets. */
async function replica(
  answer: (req: http.IncomingMessage, res: http.ServerResponse) => void,
): Promise<Replica> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    requests.push(`${req.method} ${req.url?.replace(/\?.*/, '')}`);
    req.resume();
    req.on('end', () => answer(req, res));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

const json = (status: number, body: unknown) => (_req: http.IncomingMessage, res: http.ServerResponse) => {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
};
const live = () => replica(json(204, undefined));
const fault = (status: number) =>
  replica(json(status, { faultcode: 'Server', faultstring: `fault ${status}` }));
/** a URL nothing listens on: connections to it are refused */
const refused = async () => `http://127.0.0.1:${await freePort()}`;

const REPORT: AgentReport = { epoch: 'e', results: [], observed: {} };
const report = (client: AgentClient, timeoutMs = 5_000) => client.report(REPORT, timeoutMs);

/** A client over `urls` that records each move it makes. */
function clientOf(urls: string[]) {
  const moves: [string, string, string][] = [];
  const client = new AgentClient(urls, 't', { onMove: (from, to, reason) => moves.push([from, to, reason]) });
  return { client, moves };
}

it('answers a call refused by the first replica from the next, and stays on the one that answered', async () => {
  const dead = await refused();
  const second = await live();
  const { client, moves } = clientOf([dead, second.url]);
  await report(client);
  assert.deepEqual(second.requests, ['POST /agent/v1/report']);
  assert.deepEqual(moves, [[dead, second.url, 'ECONNREFUSED']]);
  await report(client);
  await report(client);
  assert.equal(second.requests.length, 3);
  assert.equal(moves.length, 1, 'calls stick to the replica that answered');
  assert.equal(client.server, second.url);
});

it('moves on from a replica answering 502, 503 or 504', async () => {
  for (const status of [502, 503, 504]) {
    const first = await fault(status);
    const second = await live();
    const { client, moves } = clientOf([first.url, second.url]);
    await report(client);
    assert.deepEqual([first.requests.length, second.requests.length], [1, 1]);
    assert.deepEqual(moves, [[first.url, second.url, String(status)]]);
  }
});

it('takes a 404, 409 or 500 as the answer: the error surfaces with its message and the client stays', async () => {
  for (const status of [404, 409, 500]) {
    const first = await fault(status);
    const second = await live();
    const { client, moves } = clientOf([first.url, second.url]);
    await assert.rejects(report(client), new Error(`POST /report: ${status} fault ${status}`));
    await assert.rejects(report(client), new Error(`POST /report: ${status} fault ${status}`));
    assert.deepEqual([first.requests.length, second.requests.length], [2, 0]);
    assert.deepEqual(moves, []);
  }
});

it('moves on from a replica that holds a report past its bound', async () => {
  const hung = await replica(() => {}); // reads the request, never answers
  const second = await live();
  const { client, moves } = clientOf([hung.url, second.url]);
  await report(client, 300);
  assert.deepEqual([hung.requests.length, second.requests.length], [1, 1]);
  assert.deepEqual(moves, [[hung.url, second.url, 'no answer within 300 ms']]);
});

it('moves on from a replica that resets a long-poll', async () => {
  const dying = await replica((req) => req.socket.destroy());
  const set = { etag: 'x', assignments: [], removals: [] };
  const second = await replica(json(200, set));
  const { client, moves } = clientOf([dying.url, second.url]);
  assert.deepEqual(await client.desired('', 25_000), set);
  assert.deepEqual([dying.requests, second.requests], [['GET /agent/v1/desired'], ['GET /agent/v1/desired']]);
  assert.deepEqual(
    moves.map(([from, to]) => [from, to]),
    [[dying.url, second.url]],
  );
});

it('tries each replica once and throws the last error when none answers', async () => {
  const first = await refused();
  const second = await fault(503);
  const { client, moves } = clientOf([first, second.url]);
  await assert.rejects(report(client), new Error('POST /report: 503 fault 503'));
  assert.equal(second.requests.length, 1);
  assert.deepEqual(
    moves.map(([from, to]) => [from, to]),
    [
      [first, second.url],
      [second.url, first],
    ],
  );
  // the runner retries: the next call starts where the last move left it, and goes round again once
  await assert.rejects(report(client), new Error('POST /report: 503 fault 503'));
  assert.equal(second.requests.length, 2);
});

it('moves once when calls in flight side by side find the same replica refusing', async () => {
  const dead = await refused();
  const second = await live();
  const third = await live();
  const { client, moves } = clientOf([dead, second.url, third.url]);
  await Promise.all([report(client), report(client), report(client)]);
  assert.deepEqual(moves, [[dead, second.url, 'ECONNREFUSED']]);
  assert.deepEqual([second.requests.length, third.requests.length], [3, 0]);
});

it('does not move when the caller gives the call up', async () => {
  const hung = await replica(() => {});
  const second = await live();
  const { client, moves } = clientOf([hung.url, second.url]);
  const stop = new AbortController();
  const call = client.report(REPORT, 5_000, stop.signal);
  while (hung.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
  stop.abort();
  await assert.rejects(call, { name: 'AbortError' });
  assert.deepEqual([moves, second.requests], [[], []]);
});

it('names the replica and the reason when one gives no answer', async () => {
  const dead = await refused();
  await assert.rejects(
    report(new AgentClient(dead, 't')),
    new Error(`POST /report at ${dead}: ECONNREFUSED`),
  );
  const reset = await replica((req) => req.socket.destroy());
  await assert.rejects(report(new AgentClient(reset.url, 't')), (error: Error) =>
    error.message.startsWith(`POST /report at ${reset.url}: `),
  );
});

// Without the move the poll would be answered too, by the second replica after its 65 s bound: the test's
// timeout is what fails then.
it('moves a long-poll held by a replica when a report finds that replica silent', {
  timeout: 15_000,
}, async () => {
  const hung = await replica(() => {});
  const set = { etag: 'x', assignments: [], removals: [] };
  const second = await replica(json(200, set));
  const { client, moves } = clientOf([hung.url, second.url]);
  const poll = client.desired('', 60_000); // held on the first replica for up to its 65 s bound
  while (hung.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
  await report(client, 300);
  assert.deepEqual(await poll, set);
  assert.deepEqual(second.requests.sort(), ['GET /agent/v1/desired', 'POST /agent/v1/report']);
  assert.deepEqual(moves, [[hung.url, second.url, 'no answer within 300 ms']]);
});
