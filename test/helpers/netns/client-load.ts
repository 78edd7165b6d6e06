// The bounded client load loop, run inside the client host (a script: `node client-load.ts '<json options>'`):
// a new connection every intervalMs to the URL, for at most durationMs and maxRequests, each request bounded
// by timeoutMs and optionally retried once on failure. Writes every request's timestamps and outcome as
// JSON to `out` when done (or on SIGTERM), for client-log.ts to compute the traffic gap and failures.
import fs from 'node:fs';
import http from 'node:http';
import type { ClientLoadOptions, ClientRecord } from './client-log.ts';

const options = JSON.parse(process.argv[2]) as ClientLoadOptions;
const records: ClientRecord[] = [];
const now = () => performance.timeOrigin + performance.now();

function once(): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.get(options.url, { agent: false, timeout: options.timeoutMs }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      response.on('error', reject);
    });
    request.on('timeout', () => request.destroy(new Error('timeout')));
    request.on('error', reject);
  });
}

async function one(): Promise<void> {
  const start = now();
  let attempts = 0;
  for (;;) {
    attempts += 1;
    try {
      const { status, body } = await once();
      const ok = status === 200;
      if (!ok && options.retryOnce && attempts === 1) continue;
      records.push({ start, end: now(), ok, status, body: body.slice(0, 64), attempts });
      return;
    } catch (error) {
      if (options.retryOnce && attempts === 1) continue;
      records.push({ start, end: now(), ok: false, error: (error as Error).message, attempts });
      return;
    }
  }
}

let finished = false;
function finish(): void {
  if (finished) return;
  finished = true;
  records.sort((a, b) => a.start - b.start);
  fs.writeFileSync(`${options.out}.tmp`, JSON.stringify({ options, records }));
  fs.renameSync(`${options.out}.tmp`, options.out);
  process.exit(0);
}
process.once('SIGTERM', finish);

const inFlight = new Set<Promise<void>>();
const began = now();
// Node's start-up inside a busy host can take a while: a caller that times a failure waits for this line.
process.stdout.write('sending\n');
for (let sent = 0; sent < options.maxRequests && now() - began < options.durationMs; sent += 1) {
  const p = one().finally(() => inFlight.delete(p));
  inFlight.add(p);
  await new Promise((resolve) => setTimeout(resolve, options.intervalMs));
}
await Promise.all(inFlight);
finish();
