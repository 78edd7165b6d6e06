// Session tickets of native TERMINATED_HTTPS listeners by real handshakes: a client using each ticket once
// (RFC 8446 §C.4) resumes every connection after its first, for the default and for an SNI certificate, and
// TLS 1.2 resumption still works; a ticket of another listener revision is refused and the handshake completes anew.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import tls from 'node:tls';
import { createTestPki, opensslMissing, type TestPki } from '../../../../test/helpers/test-pki.ts';
import type { DesiredListener } from '../../../model/desired-state.ts';
import * as build from '../../desired-test-builders.ts';
import { NativeProvider } from '../native-provider.ts';
import type { Backend } from '../native-test-fixtures.ts';
import { freePort, httpBackend, listener, loadBalancer, member, pool } from '../native-test-fixtures.ts';
import { pemOf } from './tls-test-fixtures.ts';

const VIP = '127.0.20.34';

type Visit = { resumed: boolean; ticket: Buffer | undefined; status: string };

/** One connection offering `ticket`: one request, read until the server closes (TLS 1.3 tickets come late). */
function visit(
  port: number,
  ca: string,
  servername: string,
  ticket?: Buffer,
  maxVersion?: tls.SecureVersion,
) {
  return new Promise<Visit>((resolve, reject) => {
    let resumed = false;
    let fresh: Buffer | undefined;
    let text = '';
    const socket = tls.connect(
      { host: VIP, port, ca, servername, session: ticket, maxVersion, checkServerIdentity: () => undefined },
      () => {
        resumed = socket.isSessionReused();
        socket.write(`GET / HTTP/1.1\r\nhost: ${servername}\r\nconnection: close\r\n\r\n`);
      },
    );
    socket.on('session', (session: Buffer) => {
      fresh = session;
    });
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
    });
    socket.setTimeout(5000, () => socket.destroy(new Error('no answer within 5 s')));
    socket.on('error', reject);
    socket.on('close', () => resolve({ resumed, ticket: fresh, status: text.slice(9, 12) }));
  });
}

/**
 * `count` connections in a row, each offering the newest ticket received: under TLS 1.3 each ticket once
 * (RFC 8446 §C.4); under TLS 1.2 a ticket serves until a new one comes (RFC 5077 §3.3).
 */
async function inARow(
  port: number,
  ca: string,
  servername: string,
  count: number,
  maxVersion?: tls.SecureVersion,
) {
  const resumed: boolean[] = [];
  let ticket: Buffer | undefined;
  for (let i = 0; i < count; i += 1) {
    const answer = await visit(port, ca, servername, ticket, maxVersion);
    assert.equal(answer.status, '200');
    resumed.push(answer.resumed);
    ticket = maxVersion === 'TLSv1.2' ? (answer.ticket ?? ticket) : answer.ticket;
  }
  return resumed;
}

describe('native TERMINATED_HTTPS session tickets', { skip: opensslMissing }, () => {
  const provider = new NativeProvider();
  let pki: TestPki;
  let backend: Backend;
  let revision = 1;

  before(async () => {
    pki = await createTestPki();
    backend = await httpBackend('127.0.11.34', 'member');
  });
  after(async () => {
    await provider.close();
    await backend.close();
    await pki.remove();
  });

  /** The TLS side of a listener with fresh certificates: www.example.com, and shop.example.com by SNI. */
  async function tlsSide(port: number): Promise<DesiredListener['tls']> {
    const main = await pki.server(['www.example.com']);
    const shop = await pki.server(['shop.example.com']);
    return {
      ...build.listener('unused', port).tls,
      material: {
        defaultCertificate: pemOf(main, ['www.example.com']),
        sniCertificates: [pemOf(shop, ['shop.example.com'])],
        clientCa: null,
        clientCrl: null,
      },
    };
  }

  async function serve(port: number) {
    const p = pool([member(backend.address, backend.port)]);
    const l = listener(port, { protocol: 'TERMINATED_HTTPS', tls: await tlsSide(port), defaultPoolId: p.id });
    const lb = loadBalancer(VIP, [l], [p], { revision: revision++ });
    await provider.apply(lb);
    return { lb, l, p };
  }

  it('gives a client that uses each ticket once a resumption on every connection after the first', async () => {
    const port = await freePort(VIP);
    const { lb } = await serve(port);
    for (const servername of ['www.example.com', 'shop.example.com', 'other.example.org'])
      for (const maxVersion of ['TLSv1.3', 'TLSv1.2'] as const)
        assert.deepEqual(
          await inARow(port, pki.ca, servername, 5, maxVersion),
          [false, true, true, true, true],
          `${servername} ${maxVersion}`,
        );
    await provider.remove(lb.id);
  });

  it("refuses a ticket of another revision's keys with a full handshake that gives a new ticket", async () => {
    const port = await freePort(VIP);
    const { lb, l, p } = await serve(port);
    const old = await visit(port, pki.ca, 'www.example.com');
    assert.ok(old.ticket);
    // New certificates: a new TLS server with new ticket keys (listener-tls.ts).
    const rotated = { ...l, tls: await tlsSide(port) };
    await provider.apply({ ...lb, revision: revision++, listeners: [rotated], pools: [p] });
    const refused = await visit(port, pki.ca, 'www.example.com', old.ticket);
    assert.deepEqual([refused.resumed, refused.status], [false, '200']);
    assert.ok(refused.ticket);
    assert.equal((await visit(port, pki.ca, 'www.example.com', refused.ticket)).resumed, true);
    await provider.remove(lb.id);
  });
});
