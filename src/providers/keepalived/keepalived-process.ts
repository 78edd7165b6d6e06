// The one keepalived of an agent host and its files under `<dataDir>/keepalived/`: check (`keepalived -t`), atomic
// write, start, reload (SIGHUP: instances keep their VRRP state), adoption by a restarted agent, stop, and the
// state each instance last reported, recorded by a FIFO reader keepalived runs (vrrp_notify_fifo_script).
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { VrrpFiles } from '../../model/vrrp.ts';
import { VrrpState } from '../../model/vrrp.ts';
import { readText } from '../read-text.ts';

export type KeepalivedPaths = Readonly<{
  dir: string;
  config: string;
  candidate: string;
  pidFile: string;
  vrrpPidFile: string;
  notifyFifo: string;
  recordScript: string;
  stateDir: string;
  log: string;
}>;

export function keepalivedPaths(dataDir: string): KeepalivedPaths {
  const dir = path.join(dataDir, 'keepalived');
  return {
    dir,
    config: path.join(dir, 'keepalived.conf'),
    candidate: path.join(dir, 'keepalived.conf.new'),
    pidFile: path.join(dir, 'keepalived.pid'),
    vrrpPidFile: path.join(dir, 'vrrp.pid'),
    notifyFifo: path.join(dir, 'notify.fifo'),
    recordScript: path.join(dir, 'record-state.sh'),
    stateDir: path.join(dir, 'states'),
    log: path.join(dir, 'keepalived.log'),
  };
}

/**
 * Reads keepalived's notify FIFO (`$2`) and keeps one file per instance in `$1` holding `<STATE> <priority>`.
 * Lines are `INSTANCE "<name>" <STATE> <priority>` (keepalived.conf(5), vrrp_notify_fifo); names and states
 * outside the expected sets are skipped, and each file is replaced by rename so a reader never sees half of it.
 */
const RECORD_SCRIPT = `#!/bin/sh
# Records each VRRP instance's state for the Sluice agent (written by Sluice).
dir=$1
while read -r kind name state priority; do
  [ "$kind" = INSTANCE ] || continue
  name=\${name#\\"}; name=\${name%\\"}
  case $name in ''|*[!A-Za-z0-9_-]*) continue ;; esac
  case $state in MASTER|BACKUP|FAULT|STOP) ;; *) continue ;; esac
  printf '%s %s\\n' "$state" "$priority" > "$dir/.$name.tmp" && mv -f "$dir/.$name.tmp" "$dir/$name"
done < "$2"
`;

export type InstanceState = Readonly<{ state: VrrpState; priority: number; since: Date }>;

export class KeepalivedError extends Error {}

export type KeepalivedOptions = Readonly<{
  binary: string;
  /** run in this named network namespace (`keepalived --namespace`), for hosts kept in namespaces */
  namespace?: string;
}>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class KeepalivedProcess {
  readonly paths: KeepalivedPaths;
  readonly #options: KeepalivedOptions;
  #child: ChildProcess | undefined;
  #pid: number | undefined;
  #exited = true;

  constructor(dataDir: string, options: KeepalivedOptions) {
    this.paths = keepalivedPaths(dataDir);
    this.#options = options;
  }

  get pid(): number | undefined {
    return this.#pid;
  }

  /** The files the rendered configuration names (renderKeepalivedConfig's second argument). */
  files(): VrrpFiles {
    return {
      notifyFifo: this.paths.notifyFifo,
      notifyScript: this.paths.recordScript,
      recordArgs: [this.paths.stateDir],
    };
  }

  /**
   * Creates the directories (0700: keepalived runs scripts as root only from paths no other user can change,
   * enable_script_security) and the FIFO reader.
   */
  prepare(): void {
    fs.mkdirSync(this.paths.dir, { recursive: true, mode: 0o700 });
    fs.chmodSync(this.paths.dir, 0o700);
    fs.mkdirSync(this.paths.stateDir, { recursive: true, mode: 0o700 });
    fs.writeFileSync(`${this.paths.recordScript}.tmp`, RECORD_SCRIPT, { mode: 0o755 });
    fs.renameSync(`${this.paths.recordScript}.tmp`, this.paths.recordScript);
  }

  /** `keepalived -t` on `text` written to the candidate file; resolves with what it complained about, if it did. */
  async check(text: string): Promise<string | undefined> {
    fs.writeFileSync(this.paths.candidate, text, { mode: 0o600 });
    return new Promise((resolve) => {
      execFile(
        this.#options.binary,
        ['-t', '-f', this.paths.candidate],
        { timeout: 15_000 },
        (error, out, err) => {
          resolve(error ? `${out}${err}`.trim() || error.message : undefined);
        },
      );
    });
  }

  /**
   * Checks, writes and runs `text`: starts keepalived when none runs, else reloads it. Instances that left the
   * configuration lose their recorded state.
   */
  async apply(text: string): Promise<void> {
    const complaint = await this.check(text);
    if (complaint !== undefined)
      throw new KeepalivedError(`keepalived refused the configuration: ${complaint}`);
    fs.renameSync(this.paths.candidate, this.paths.config);
    const names = instanceNames(text);
    if (this.alive()) await this.#reload();
    else await this.#start(names);
    for (const name of fs.readdirSync(this.paths.stateDir)) {
      if (!names.includes(name)) fs.rmSync(path.join(this.paths.stateDir, name), { force: true });
    }
  }

  /** Whether keepalived's parent process runs (our child, or one adopted from the pid file). */
  alive(): boolean {
    if (this.#pid === undefined) return false;
    if (this.#child) return !this.#exited;
    return processRuns(this.#pid, this.paths.config);
  }

  /** Takes over a keepalived left running by an earlier agent with the same data dir; VRRP state is untouched. */
  adopt(): boolean {
    const pid = Number(readText(this.paths.pidFile)?.trim());
    if (!Number.isInteger(pid) || pid <= 0 || !processRuns(pid, this.paths.config)) return false;
    this.#pid = pid;
    this.#child = undefined;
    this.#exited = false;
    return true;
  }

  /** The state each instance last reported; empty while keepalived does not run (nothing holds a VIP then). */
  states(): ReadonlyMap<string, InstanceState> {
    const states = new Map<string, InstanceState>();
    if (!this.alive()) return states;
    for (const name of fs.readdirSync(this.paths.stateDir)) {
      if (name.startsWith('.')) continue;
      const file = path.join(this.paths.stateDir, name);
      const [state, priority] = (readText(file) ?? '').trim().split(' ');
      const since = fs.statSync(file, { throwIfNoEntry: false })?.mtime;
      if (isState(state) && since) states.set(name, { state, priority: Number(priority), since });
    }
    return states;
  }

  /** SIGTERM (keepalived releases its VIPs and tells the peer with a priority 0 advert), SIGKILL after `graceMs`. */
  async stop(graceMs = 5000): Promise<void> {
    const pid = this.#pid;
    if (pid === undefined) return;
    signal(pid, 'SIGTERM');
    const deadline = Date.now() + graceMs;
    while (Date.now() < deadline && (this.alive() || signal(-pid, 0))) await sleep(25);
    if (this.alive() || signal(-pid, 0)) signal(-pid, 'SIGKILL');
    this.#pid = undefined;
    this.#child = undefined;
    this.#exited = true;
  }

  /** Deletes every file of this keepalived (after stop). */
  removeFiles(): void {
    fs.rmSync(this.paths.dir, { recursive: true, force: true });
  }

  async #start(names: readonly string[], timeoutMs = 10_000): Promise<void> {
    for (const name of fs.readdirSync(this.paths.stateDir)) fs.rmSync(path.join(this.paths.stateDir, name));
    // After a crash the pid files name dead (or zombie, not yet reaped) processes, and keepalived refuses to
    // start with "daemon is already running" while they look alive to kill(pid, 0).
    for (const file of [this.paths.pidFile, this.paths.vrrpPidFile]) {
      const pid = Number(readText(file)?.trim());
      if (!processRuns(pid, this.paths.config)) fs.rmSync(file, { force: true });
    }
    const logStart = fileSize(this.paths.log);
    const log = fs.openSync(this.paths.log, 'a');
    const args = [
      '--dont-fork',
      '--log-console',
      '--no-syslog',
      '--vrrp',
      '--use-file',
      this.paths.config,
      '--pid',
      this.paths.pidFile,
      '--vrrp_pid',
      this.paths.vrrpPidFile,
      ...(this.#options.namespace ? [`--namespace=${this.#options.namespace}`] : []),
    ];
    // Its own process group, so a terminal's signals do not reach it and stop() can end it with its children.
    const child = spawn(this.#options.binary, args, { detached: true, stdio: ['ignore', log, log] });
    fs.closeSync(log);
    child.unref();
    this.#child = child;
    this.#pid = child.pid;
    this.#exited = child.pid === undefined;
    const mark = () => {
      if (this.#child === child) this.#exited = true;
    };
    child.once('exit', mark);
    child.once('error', mark);
    // Started once keepalived says so and every instance has reported its first state (BACKUP, or FAULT).
    const started = () =>
      this.#logSince(logStart).includes('Startup complete') &&
      names.every((name) => fs.existsSync(path.join(this.paths.stateDir, name)));
    if (!(await this.#until(started, timeoutMs))) {
      await this.stop(0);
      throw new KeepalivedError(
        `keepalived did not start within ${timeoutMs} ms: ${this.#logSince(logStart)}`,
      );
    }
  }

  /**
   * SIGHUP makes keepalived re-read its file; kept instances stay in their state and hold their VIPs, new ones
   * start in BACKUP (keepalived(8), SIGNALS). keepalived logs "Reload complete" when it is done.
   */
  async #reload(timeoutMs = 10_000): Promise<void> {
    const logStart = fileSize(this.paths.log);
    signal(this.#pid!, 'SIGHUP');
    if (!(await this.#until(() => this.#logSince(logStart).includes('Reload complete'), timeoutMs))) {
      throw new KeepalivedError(
        `keepalived did not reload within ${timeoutMs} ms: ${this.#logSince(logStart)}`,
      );
    }
  }

  async #until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.alive()) return false;
      if (condition()) return true;
      await sleep(20);
    }
    return false;
  }

  #logSince(offset: number): string {
    const text = readText(this.paths.log) ?? '';
    return text.slice(Math.min(offset, text.length)).trim();
  }
}

function instanceNames(text: string): string[] {
  return [...text.matchAll(/^vrrp_instance (\S+) \{$/gm)].map((match) => match[1]);
}

function isState(value: string | undefined): value is VrrpState {
  return value !== undefined && Object.hasOwn(VrrpState, value);
}

/** Sends `name` (0: only probes) to a process, or to a process group when `pid` is negative; false if none. */
function signal(pid: number, name: NodeJS.Signals | 0): boolean {
  try {
    return process.kill(pid, name);
  } catch {
    return false;
  }
}

/** Whether `pid` is a live keepalived on `config`: /proc/<pid>/stat field 3 is the state, Z for a zombie. */
function processRuns(pid: number, config: string): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  const stat = readText(`/proc/${pid}/stat`);
  const state = stat?.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  const argv = readText(`/proc/${pid}/cmdline`)?.split('\0') ?? [];
  return state !== undefined && state !== 'Z' && argv.includes(config) && argv[0].endsWith('keepalived');
}

function fileSize(file: string): number {
  return fs.statSync(file, { throwIfNoEntry: false })?.size ?? 0;
}
