// Starts a long-running child process for a test and waits until it prints that it is ready, keeping all it
// prints for the failure message: the start-up half shared by `sluice serve` and Horizon's test servers.
import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';

export type ReadyProcess = {
  child: ChildProcess;
  /** Everything it printed so far, stdout and stderr interleaved. */
  output: () => string;
  /** Its exit code once it has exited (null after a signal). */
  exited: Promise<number | null>;
};

export async function spawnReady(
  command: string,
  args: readonly string[],
  options: { name: string; ready: string; timeoutMs: number; env: SpawnOptions['env'] },
): Promise<ReadyProcess> {
  const child = spawn(command, args, { env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + options.timeoutMs;
  while (!output.includes(options.ready)) {
    if (child.exitCode !== null) throw new Error(`${options.name} exited early:\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${options.name} did not start within ${options.timeoutMs / 1000} s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, output: () => output, exited };
}
