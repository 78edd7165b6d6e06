// A real HTTP backend run inside the members host (a script: `node http-member.ts <name> <address> <port>`):
// answers every request with its own name, so a client can tell which member served it.
import http from 'node:http';

const [name, address, port] = process.argv.slice(2);
const server = http.createServer((_request, response) => {
  response.setHeader('content-type', 'text/plain');
  response.end(name);
});
server.keepAliveTimeout = 1000;
server.listen(Number(port), address, () => process.stdout.write(`${name} listening on ${address}:${port}\n`));
