// Reads through the shared buffer on real sockets: every read a view of one buffer, copies only when kept.
import assert from 'node:assert/strict';
import net from 'node:net';
import { describe, it } from 'node:test';
import { owned, readThrough } from './listener-read-through.ts';

describe('readThrough', () => {
  it('hands every read of every connection over as a view of one buffer, which owned() copies', async () => {
    const views: Buffer[] = [];
    const kept: Buffer[] = [];
    const server = net.createServer({ pauseOnConnect: true, allowHalfOpen: true }, (accepted) => {
      const socket = readThrough(accepted, (chunk) => {
        views.push(chunk);
        kept.push(owned(chunk));
      });
      socket.on('end', () => socket.end());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    for (const text of ['first', 'second']) {
      await new Promise<void>((resolve) => {
        const client = net.connect(port, '127.0.0.1', () => client.end(text));
        client.resume();
        client.on('close', () => resolve());
      });
    }
    server.close();
    assert.deepEqual(
      kept.map((b) => b.toString()),
      ['first', 'second'],
    );
    assert.equal(views.length, 2);
    assert.equal(views[0].buffer, views[1].buffer, 'both connections read into the same memory');
    assert.equal(views[1].toString(), 'second');
    assert.equal(
      views[0].subarray(0, 5).toString(),
      'secon',
      'the first view was overwritten by the next read',
    );
    assert.notEqual(kept[0].buffer, views[0].buffer);
  });

  it('owned() returns bytes that are not in the shared buffer as they are', () => {
    const bytes = Buffer.from('mine');
    assert.equal(owned(bytes), bytes);
  });
});
