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

/** Stops a child: SIGTERM, then SIGKILL if it is still running after `graceMs`, so a test's teardown never waits
 * on a process that does not stop (a child left running keeps the test file's process, and CI, from ending). */
export async function stopChild(
  child: ChildProcess,
  exited: Promise<unknown>,
  graceMs = 10_000,
): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), graceMs);
  });
  const outcome = await Promise.race([exited, late]);
  clearTimeout(timer);
  if (outcome === 'late') {
    child.kill('SIGKILL');
    await exited;
  }
}
