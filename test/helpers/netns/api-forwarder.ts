// Runs inside a host namespace (a script: `node api-forwarder.ts <port> <socket> <iface>`): listens on
// 127.0.0.1:<port> there and relays each connection over a UNIX socket (the filesystem is shared across
// namespaces) to the API relay in the root namespace. It stands in for the host's network path to the API, so
// it follows the host's link: while <iface> is not up (read from /sys/class/net, which `ip netns exec`
// remounts for the namespace) it drops every relayed connection and refuses new ones, as a host whose only
// link is down cannot reach its control plane either.
import fs from 'node:fs';
import net from 'node:net';
import { spliceSockets } from './splice-sockets.ts';

const [port, socketPath, iface] = process.argv.slice(2);
const sockets = new Set<net.Socket>();
const linkUp = () => {
  try {
    return fs.readFileSync(`/sys/class/net/${iface}/operstate`, 'utf8').trim() === 'up';
  } catch {
    return false;
  }
};

const server = net.createServer((inbound) => {
  if (!linkUp()) {
    inbound.destroy();
    return;
  }
  spliceSockets(inbound, net.connect(socketPath), sockets);
});

setInterval(() => {
  if (linkUp()) return;
  for (const socket of sockets) socket.destroy();
}, 100);

server.listen(Number(port), '127.0.0.1', () => process.stdout.write(`forwarding 127.0.0.1:${port}\n`));
