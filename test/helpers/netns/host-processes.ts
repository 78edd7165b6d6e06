// Processes inside a host: `ip netns exec <ns> …` (ip execs the command, so the child's pid is the process
// itself), tracked per host with their output in the run directory, and the host-wide kill -9 of every
// process in the namespace (`ip netns pids`: also what those processes started, e.g. HAProxy).
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Host } from './bridge-topology.ts';
import { killNamespace } from './ip-command.ts';
import type { NetnsRun } from './netns-run.ts';

export type HostProcess = Readonly<{
  name: string;
  host: Host;
  child: ChildProcess;
  logFile: string;
  exited: Promise<number | null>;
  /** the output so far */
  output(): string;
}>;

export class HostProcesses {
  readonly #run: NetnsRun;
  readonly #all: HostProcess[] = [];

  constructor(run: NetnsRun) {
    this.#run = run;
    fs.mkdirSync(path.join(run.dir, 'logs'), { recursive: true });
    run.beforeCleanup(() => {
      for (const p of this.#all)
        if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
    });
  }

  /** Starts `command` inside the host; its stdout and stderr go to logs/<host>-<name>.log. */
  spawn(host: Host, name: string, command: readonly string[], env: Record<string, string> = {}): HostProcess {
    const logFile = path.join(this.#run.dir, 'logs', `${host.name}-${name}.log`);
    const fd = fs.openSync(logFile, 'a');
    const child = spawn('ip', ['netns', 'exec', host.ns, ...command], {
      env: { ...process.env, ...env },
      stdio: ['ignore', fd, fd],
    });
    fs.closeSync(fd);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const process_: HostProcess = {
      name,
      host,
      child,
      logFile,
      exited,
      output: () => fs.readFileSync(logFile, 'utf8'),
    };
    this.#all.push(process_);
    return process_;
  }

  /** The tracked processes of a host (live or not). */
  of(host: Host): HostProcess[] {
    return this.#all.filter((p) => p.host.ns === host.ns);
  }

  /** kill -9 of every process in the host's namespace (the host "dies"); resolves once the tracked ones exited. */
  async killHost(host: Host): Promise<number> {
    const killed = killNamespace(host.ns);
    await Promise.race([
      Promise.all(this.of(host).map((p) => p.exited)),
      new Promise((resolve) => setTimeout(resolve, 5000)),
    ]);
    return killed;
  }
}
