// Joins two sockets both ways (a byte relay); either side closing or failing closes both. Tracks them in a set
// so an owner can drop every relayed connection at once.
import type net from 'node:net';

export function spliceSockets(a: net.Socket, b: net.Socket, live: Set<net.Socket>): void {
  for (const socket of [a, b]) {
    live.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => {
      live.delete(socket);
      a.destroy();
      b.destroy();
    });
  }
  a.pipe(b);
  b.pipe(a);
}
