// Runs the real `wrk` HTTP benchmarking tool as a bounded load generator for tests, and reads its summary:
// requests done, socket errors (connect, read, write, timeout) and responses with a status above 399.
// Stopped early with SIGINT, wrk still prints the summary of what it did (wrk.c: the SIGINT handler sets `stop`).
import { spawn } from 'node:child_process';

export const wrkMissing: string | false = await new Promise((resolve) => {
  const child = spawn('wrk', ['--version'], { stdio: 'ignore' });
  child.on('error', () => resolve('the wrk command is not installed (apt-get install wrk)'));
  child.on('close', () => resolve(false));
});

export type WrkOptions = Readonly<{
  connections: number;
  /** the upper bound of the run; `stop()` ends it earlier */
  durationSeconds: number;
  /** extra request headers, e.g. `Connection: close` for a new connection (TLS handshake) per request */
  headers?: readonly string[];
}>;

export type WrkResult = Readonly<{
  requests: number;
  socketErrors: Readonly<{ connect: number; read: number; write: number; timeout: number }>;
  /** wrk's "Non-2xx or 3xx responses": statuses above 399 */
  errorResponses: number;
  output: string;
}>;

export type WrkRun = Readonly<{
  /** SIGINT if it still runs, then its summary */
  stop(): Promise<WrkResult>;
}>;

/** Starts `wrk -t1 -c<connections> -d<duration>s --timeout 10s [-H …] <url>`. */
export function startWrk(url: string, options: WrkOptions): WrkRun {
  const args = [
    '-t1',
    `-c${options.connections}`,
    `-d${options.durationSeconds}s`,
    '--timeout',
    '10s',
    ...(options.headers ?? []).flatMap((header) => ['-H', header]),
    url,
  ];
  const child = spawn('wrk', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr.on('data', (chunk) => {
    output += chunk;
  });
  // Killed after twice its duration at the latest: a wedged wrk never holds the test.
  const guard = setTimeout(() => child.kill('SIGKILL'), options.durationSeconds * 2000 + 10_000);
  const exited = new Promise<number | null>((resolve) => {
    child.on('close', (code) => {
      clearTimeout(guard);
      resolve(code);
    });
  });
  return {
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
      const code = await exited;
      if (code !== 0) throw new Error(`wrk ${args.join(' ')} exited with ${code}:\n${output}`);
      return parseWrk(output);
    },
  };
}

/** Reads wrk's summary; the error lines are printed only when a count is not zero. */
export function parseWrk(output: string): WrkResult {
  const requests = /(\d+) requests in /.exec(output);
  if (!requests) throw new Error(`no wrk summary in:\n${output}`);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output);
  const status = /Non-2xx or 3xx responses: (\d+)/.exec(output);
  return {
    requests: Number(requests[1]),
    socketErrors: {
      connect: Number(socket?.[1] ?? 0),
      read: Number(socket?.[2] ?? 0),
      write: Number(socket?.[3] ?? 0),
      timeout: Number(socket?.[4] ?? 0),
    },
    errorResponses: Number(status?.[1] ?? 0),
    output,
  };
}
