// Runs the real `sluice serve` (bin/sluice.js) as a child process on a free loopback port, for end-to-end
// tests: the same entry point a user starts, with its own data directory.
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { stopDataPlane } from './data-plane-processes.ts';
import { spawnReady, stopChild } from './ready-process.ts';

const BIN = path.resolve(import.meta.dirname, '../../bin/sluice.js');

export type ServeProcess = {
  url: string;
  dataDir: string;
  child: ChildProcess;
  output: () => string;
  /** Stops serve; after SIGKILL also the data plane its agent left running (it outlives serve by design). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** kill -9 of serve alone: the data plane serves on, for the next serve on this data dir to adopt. */
  crash(): Promise<void>;
};

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

export function tempDataDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-e2e-'));
}

export async function startServe(
  options: { dataDir?: string; port?: number; env?: Record<string, string> } = {},
): Promise<ServeProcess> {
  const dataDir = options.dataDir ?? tempDataDir();
  const port = options.port ?? (await freePort());
  const { child, output, exited } = await spawnReady(
    process.execPath,
    [BIN, 'serve', '--listen', `127.0.0.1:${port}`, '--data-dir', dataDir],
    {
      name: 'sluice serve',
      ready: 'Sluice listening on',
      timeoutMs: 30_000,
      env: { ...process.env, SLUICE_LOG_LEVEL: 'info', ...options.env },
    },
  );
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    dataDir,
    child,
    output,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      // SIGTERM escalates to SIGKILL after 10 s, so a serve that does not stop cannot hold the test file.
      if (signal === 'SIGTERM') await stopChild(child, exited);
      else if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const code = await exited;
      if (signal === 'SIGKILL') await stopDataPlane(dataDir);
      return code;
    },
    async crash() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

export async function issueToken(url: string, password: string): Promise<string> {
  const response = await fetch(`${url}/v3/auth/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      auth: {
        identity: {
          methods: ['password'],
          password: { user: { name: 'admin', password, domain: { id: 'default' } } },
        },
        scope: { project: { name: 'admin', domain: { id: 'default' } } },
      },
    }),
  });
  if (response.status !== 201) throw new Error(`token: ${response.status} ${await response.text()}`);
  return response.headers.get('x-subject-token')!;
}
