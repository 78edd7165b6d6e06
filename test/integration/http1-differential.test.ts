// The native HTTP/1.1 parser against Node's llhttp and HAProxy over a corpus of request and response vectors
// (http1-vectors.ts): native never forwards what both refuse, and whatever it forwards, the next parser
// (a node:http member, a node:http client) frames into the same messages native framed.
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { skipWithoutHaproxy } from '../../src/providers/haproxy/haproxy-test-fixtures.ts';
import { ChunkedBody } from '../../src/providers/native/http/http1-body.ts';
import { hostValid, requestBody, responseBody } from '../../src/providers/native/http/http1-framing.ts';
import {
  headEnd,
  headerValue,
  MAX_HEAD_BYTES,
  parseRequestHead,
  parseResponseHead,
  skipEmptyLines,
} from '../../src/providers/native/http/http1-head.ts';
import { type Front, haproxyFront, nativeFront, RecordingTap } from '../helpers/http-fronts.ts';
import {
  type ClientView,
  type Frame,
  type Framing,
  LlhttpRequestParser,
  llhttpGet,
  llhttpResponse,
} from '../helpers/llhttp-frames.ts';
import { REQUEST_VECTORS, RESPONSE_VECTORS } from './http1-vectors.ts';

const latin1 = (text: string) => Buffer.from(text, 'latin1');

/** The body of a chunked coding already found valid: the chunk data, joined. */
function dechunk(raw: Buffer): string {
  let text = raw.toString('latin1');
  let body = '';
  for (;;) {
    const lineEnd = text.indexOf('\r\n');
    const size = Number.parseInt(text.slice(0, lineEnd).split(';')[0], 16);
    if (size === 0) return body;
    body += text.slice(lineEnd + 2, lineEnd + 2 + size);
    text = text.slice(lineEnd + 4 + size);
  }
}

/** The requests the native parser finds in a byte stream, as the session frames them. */
function nativeRequests(bytes: Buffer): Framing {
  const messages: Frame[] = [];
  let at = 0;
  for (;;) {
    const start = skipEmptyLines(bytes, at);
    if (start >= bytes.length) return { messages, error: undefined };
    const end = headEnd(bytes, start);
    const head = end < 0 || end - start > MAX_HEAD_BYTES ? undefined : parseRequestHead(bytes, start, end);
    const body = head && hostValid(head) ? requestBody(head) : undefined;
    if (!head || !body) return { messages, error: 'head' };
    const n = body.take(bytes, end);
    if (body.error || !body.done) return { messages, error: 'body' };
    const raw = bytes.subarray(end, end + n);
    messages.push({
      start: `${head.method} ${head.target} HTTP/1.${head.minor}`,
      host: headerValue(head.headers, 'host'),
      body: body instanceof ChunkedBody ? dechunk(raw) : raw.toString('latin1'),
      complete: true,
    });
    at = end + n;
  }
}

type Expected = { kind: 'ok'; status: number; body: string } | { kind: 'invalid' | 'truncated' };

/** How the native response reader frames a member's whole answer to a GET. */
function nativeResponse(bytes: Buffer): Expected {
  let start = 0;
  for (;;) {
    const end = headEnd(bytes, start);
    const head = end < 0 || end - start > MAX_HEAD_BYTES ? undefined : parseResponseHead(bytes, start, end);
    if (!head) return { kind: 'invalid' };
    if (head.status < 200 && head.status !== 101) {
      start = end;
      continue;
    }
    const framing = responseBody('GET', head);
    if (!framing) return { kind: 'invalid' };
    const n = framing.take(bytes, end);
    if (framing.error) return { kind: 'invalid' };
    if (!framing.done && !framing.untilClose) return { kind: 'truncated' };
    const raw = bytes.subarray(end, end + n);
    const body = framing instanceof ChunkedBody ? dechunk(raw) : raw.toString('latin1');
    return { kind: 'ok', status: head.status, body };
  }
}

/** Writes `bytes` on a new connection, half-closes it, and reads until the proxy closes (at most 3 s). */
function rawExchange(host: string, port: number, bytes: Buffer): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, host, () => socket.end(bytes));
    let reply = '';
    const timer = setTimeout(() => socket.destroy(), 3000);
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      reply += chunk;
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(reply);
    });
  });
}

/** A proxy's 4xx of its own: the member answers only 200 (or drops a connection it cannot parse). */
const refusedBy = (reply: string) => /HTTP\/1\.[01] 4\d\d /.test(reply);
const memberAnswers = (reply: string) => (reply.match(/\r\nx-member: llhttp\r\n/gi) ?? []).length;
const completeCount = (framing: Framing) => framing.messages.filter((m) => m.complete).length;
const verdict = (refused: boolean) => (refused ? 'refuses' : 'accepts');

describe('HTTP/1.1 differential: native against llhttp and HAProxy', () => {
  let member: LlhttpRequestParser;
  let offline: LlhttpRequestParser;
  let tap: RecordingTap & { host: string; port: number };
  let responder: net.Server;
  const fronts: Front[] = [];

  before(async () => {
    member = await LlhttpRequestParser.start('127.0.93.1');
    offline = await LlhttpRequestParser.start('127.0.93.2');
    tap = await RecordingTap.start('127.0.93.3', member.address);
    // The response leg's member: answers `/r/<i>` with response vector i and `/next` plainly, then closes.
    responder = net.createServer((socket) => {
      let seen = '';
      socket.setEncoding('latin1');
      socket.on('error', () => {});
      socket.on('data', (chunk: string) => {
        seen += chunk;
        if (!seen.includes('\r\n\r\n')) return;
        const index = /^GET \/r\/(\d+) /.exec(seen)?.[1];
        const vector = index === undefined ? undefined : RESPONSE_VECTORS[Number(index)];
        socket.end(vector ? latin1(vector.bytes) : 'HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nnext');
        seen = '';
      });
    });
    await new Promise<void>((resolve) => responder.listen(0, '127.0.93.4', resolve));
    const responderAddress = { host: '127.0.93.4', port: (responder.address() as net.AddressInfo).port };
    fronts.push(await nativeFront('127.0.93.10', [tap, responderAddress]));
    if (skipWithoutHaproxy) console.log(`# HAProxy leg skipped: ${skipWithoutHaproxy}`);
    else fronts.push(await haproxyFront('127.0.93.11', [tap, responderAddress]));
  });

  after(async () => {
    for (const front of fronts) await front.close();
    await tap.close();
    await member.close();
    await offline.close();
    await new Promise<void>((resolve) => responder.close(() => resolve()));
  });

  /** One request vector through a front: the client's reply and how the member's llhttp framed what came. */
  async function throughFront(front: Front, bytes: Buffer) {
    const mark = tap.mark();
    const reply = await rawExchange(front.host, front.ports[0], bytes);
    await tap.settled();
    const forwarded = tap.since(mark);
    const seen: Framing = { messages: [], error: undefined };
    const framed: Framing = { messages: [], error: undefined };
    for (const stream of forwarded) {
      const view = await offline.frame(stream);
      seen.messages.push(...view.messages);
      seen.error ??= view.error;
      const own = nativeRequests(stream);
      framed.messages.push(...own.messages);
      framed.error ??= own.error;
    }
    const bytesForwarded = forwarded.reduce((n, b) => n + b.length, 0);
    return { reply, seen, framed, bytesForwarded, refused: refusedBy(reply) };
  }

  it('forwards no request that llhttp and HAProxy both refuse, and frames what it forwards as the member does', async (t) => {
    const differences: string[] = [];
    for (const vector of REQUEST_VECTORS) {
      const bytes = latin1(vector.bytes);
      const direct = await offline.frame(bytes);
      const native = await throughFront(fronts[0], bytes);
      const haproxy = fronts[1] ? await throughFront(fronts[1], bytes) : undefined;
      const name = vector.name;
      // What native sent, the member's llhttp frames into the very messages native framed: no smuggling.
      assert.equal(native.seen.error, undefined, `${name}: the member cannot parse what native forwarded`);
      assert.deepEqual(
        native.seen.messages,
        native.framed.messages,
        `${name}: member and native frame apart`,
      );
      assert.equal(
        memberAnswers(native.reply),
        native.seen.messages.length,
        `${name}: one exchange a message`,
      );
      if (direct.error !== undefined && haproxy?.refused) {
        const most = Math.min(completeCount(direct), haproxy.seen.messages.length);
        assert.ok(native.seen.messages.length <= most, `${name}: native forwards what both refuse`);
        if (most === 0) assert.equal(native.bytesForwarded, 0, `${name}: not a byte of a refused request`);
      }
      const llhttpRefuses = direct.error !== undefined;
      if (llhttpRefuses !== native.refused || (haproxy && haproxy.refused !== native.refused)) {
        differences.push(
          `${name}: native ${verdict(native.refused)}, llhttp ${verdict(llhttpRefuses)}` +
            (haproxy ? `, HAProxy ${verdict(haproxy.refused)}` : ''),
        );
      }
    }
    for (const line of differences) t.diagnostic(`request ${line}`);
  });

  it('relays no response that llhttp and HAProxy both refuse, and frames what it relays as the client does', async (t) => {
    const differences: string[] = [];
    for (const [i, vector] of RESPONSE_VECTORS.entries()) {
      const name = vector.name;
      const expected = nativeResponse(latin1(vector.bytes));
      const direct = await llhttpResponse(latin1(vector.bytes));
      const views: Record<string, ClientView> = {};
      for (const front of fronts) {
        const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
        views[front.name] = await llhttpGet(front.host, front.ports[1], `/r/${i}`, agent);
        const next = await llhttpGet(front.host, front.ports[1], '/next', agent);
        agent.destroy();
        // Whatever came before, the next response on the connection is the member's own: no splitting.
        assert.deepEqual(
          [next.status, next.body, next.complete],
          [200, 'next', true],
          `${name}: ${front.name} desync`,
        );
      }
      const native = views.native;
      const relayed = native.complete && native.status !== 502;
      if (expected.kind === 'ok') {
        assert.deepEqual(
          [native.status, native.body, native.complete],
          [expected.status, expected.body, true],
          name,
        );
      } else {
        assert.equal(relayed, false, `${name}: native relayed a response it cannot frame (${expected.kind})`);
      }
      const llhttpRefuses = direct.error !== undefined || !direct.complete;
      const haproxy = views.haproxy;
      const haproxyRefuses = haproxy && (haproxy.status === 502 || !haproxy.complete);
      if (llhttpRefuses && haproxyRefuses)
        assert.equal(relayed, false, `${name}: native relays what both refuse`);
      if (llhttpRefuses !== !relayed || (haproxy && haproxyRefuses !== !relayed)) {
        differences.push(
          `${name}: native ${verdict(!relayed)}, llhttp ${verdict(llhttpRefuses)}` +
            (haproxy ? `, HAProxy ${verdict(Boolean(haproxyRefuses))}` : ''),
        );
      }
    }
    for (const line of differences) t.diagnostic(`response ${line}`);
  });
});
