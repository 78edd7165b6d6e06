// Shared by the health tests: monitor documents, listening on a chosen loopback address, a self-signed
// certificate made with the system `openssl`, and a bounded wait for a condition.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import type { AddressInfo, Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { DesiredHealthMonitor } from '../../../model/desired-state.js';

export function healthMonitor(overrides: Partial<DesiredHealthMonitor> = {}): DesiredHealthMonitor {
  return {
    id: 'hm-1',
    type: 'TCP',
    delay: 1,
    timeout: 1,
    maxRetries: 2,
    maxRetriesDown: 2,
    httpMethod: null,
    urlPath: null,
    expectedCodes: null,
    httpVersion: null,
    domainName: null,
    adminStateUp: true,
    ...overrides,
  };
}

/** Starts `server` on `address` (port 0 = ephemeral unless given) and returns the port it got. */
export async function listenOn(server: Server, address: string, port = 0): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, address, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/** A throwaway key and certificate for CN=localhost, or undefined when `openssl` is not installed. */
export async function selfSignedCertificate(): Promise<{ key: string; cert: string } | undefined> {
  const dir = await mkdtemp(join(tmpdir(), 'sluice-health-'));
  try {
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    const args = ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
    await promisify(execFile)('openssl', [
      ...args,
      '-keyout',
      key,
      '-out',
      cert,
      '-subj',
      '/CN=localhost',
      '-days',
      '1',
    ]);
    return { key: await readFile(key, 'utf8'), cert: await readFile(cert, 'utf8') };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Polls `condition` every 50 ms for at most `limitMs`; returns the milliseconds it took, or throws. */
export async function waitFor(condition: () => boolean, limitMs: number): Promise<number> {
  const started = performance.now();
  for (let attempt = 0; attempt < limitMs / 50 + 1; attempt++) {
    if (condition()) return performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`condition not met within ${limitMs} ms`);
}

export const NO_OPENSSL =
  'skipped: the `openssl` command is not installed, so no test certificate can be made';
