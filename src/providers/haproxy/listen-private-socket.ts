// The provider's end of a UNIX socket that a load balancer's HAProxy connects to (metrics scrapes, access log
// lines): a stale file from an earlier agent is replaced, and only this agent's user may connect (0600).
import fs from 'node:fs';
import type net from 'node:net';

export function listenPrivateSocket(server: net.Server, path: string): Promise<void> {
  // A socket file left by an earlier agent would make listen() fail with EADDRINUSE.
  fs.rmSync(path, { force: true });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => {
      server.off('error', reject);
      fs.chmodSync(path, 0o600);
      resolve();
    });
  });
}
