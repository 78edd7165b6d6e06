// The root-namespace end of the path from host namespaces to the API: a UNIX socket whose connections are
// relayed to the API's 127.0.0.1 port. Hosts reach it through api-forwarder.ts; it runs in the test process.
import net from 'node:net';
import { spliceSockets } from './splice-sockets.ts';

export type ApiRelay = Readonly<{ socketPath: string; close(): void }>;

export async function startApiRelay(socketPath: string, apiPort: number): Promise<ApiRelay> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((inbound) => {
    spliceSockets(inbound, net.connect(apiPort, '127.0.0.1'), sockets);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, resolve);
  });
  return {
    socketPath,
    close() {
      for (const socket of sockets) socket.destroy();
      server.close();
    },
  };
}
