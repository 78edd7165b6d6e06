// Shared by the health tests: monitor documents, listening on a chosen loopback address, a self-signed
// certificate (test-certificates.ts), and a bounded wait for a condition.
import type { AddressInfo, Server } from 'node:net';
import type { DesiredHealthMonitor } from '../../../model/desired-state.ts';

export { selfSignedCertificate } from '../../test-certificates.ts';

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
