// One load balancer's HAProxy in master-worker mode (`-W -S <master socket>`, management guide §9.4) and its
// files under `<runDir>/<lb id>/`: check, atomic write, start, hitless reload through the master CLI with
// rollback to the last good file, server-state dump, runtime commands, soft stop.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readText } from '../read-text.ts';
import { haproxyAlerts, type MasterState, parseShowProc, socketCommand } from './haproxy-socket.ts';

/** Every file of one load balancer's HAProxy. */
export type InstancePaths = Readonly<{
  dir: string;
  /** `dir`, unless socket paths there would be too long for HAProxy to bind (MAX_SOCKET_PATH) */
  socketDir: string;
  config: string;
  candidate: string;
  lastGood: string;
  pidFile: string;
  masterSocket: string;
  statsSocket: string;
  /** where the provider answers a PROMETHEUS listener's scrapes (metrics-socket.ts) */
  metricsSocket: string;
  /** where the provider receives the access log lines (access-log-socket.ts) */
  accessLogSocket: string;
  serverStateFile: string;
  pingScript: string;
  /** certificate, CA and CRL files (tls-file-store.ts) */
  tlsDir: string;
  log: string;
}>;

/**
 * The longest UNIX socket path HAProxy takes. It binds `<path>.<pid>.tmp` first and renames it into place, so
 * that name (with its NUL) must fit sockaddr_un.sun_path, 108 bytes: the parser refuses a path over
 * 107 - ".NNNNN.tmp".length = 97 bytes ("socket path '…' too long (max 97)", str2sa_range() in
 * https://github.com/haproxy/haproxy/blob/master/src/tools.c), and the bind refuses it with the real pid
 * ("name too long for UNIX socket (limit usually 97)", sock_unix_bind_receiver() in
 * https://github.com/haproxy/haproxy/blob/master/src/sock_unix.c). Linux pids reach 4194304 (pid_max,
 * proc(5)), so up to 95 bytes always pass both. The same holds for the stats socket and the master socket (-S).
 */
const MAX_SOCKET_PATH = 107 - '.4194304.tmp'.length;

/** Whether every socket path of a load balancer under `socketDir` is short enough for HAProxy. */
const socketsFit = (socketDir: string) =>
  ['master.sock', 'stats.sock'].every(
    (name) => Buffer.byteLength(path.join(socketDir, name)) <= MAX_SOCKET_PATH,
  );

export function instancePaths(runDir: string, loadBalancerId: string): InstancePaths {
  const dir = path.join(runDir, loadBalancerId);
  // Under a deep run directory the sockets go to a short private directory (0700, see prepare()) named after
  // the load balancer's directory, so that it is the same after a restart and a new agent adopts the running
  // HAProxy through it. The temporary directory can itself be deep (TMPDIR): /tmp then.
  const hash = createHash('sha256').update(dir).digest('hex').slice(0, 16);
  const short = (base: string) => path.join(base, `sluice-haproxy-${hash}`);
  const socketDir = socketsFit(dir)
    ? dir
    : socketsFit(short(os.tmpdir()))
      ? short(os.tmpdir())
      : short('/tmp');
  return {
    socketDir,
    dir,
    config: path.join(dir, 'haproxy.cfg'),
    candidate: path.join(dir, 'haproxy.cfg.new'),
    lastGood: path.join(dir, 'haproxy.cfg.last-good'),
    pidFile: path.join(dir, 'haproxy.pid'),
    masterSocket: path.join(socketDir, 'master.sock'),
    statsSocket: path.join(socketDir, 'stats.sock'),
    metricsSocket: path.join(socketDir, 'metrics.sock'),
    accessLogSocket: path.join(socketDir, 'log.sock'),
    serverStateFile: path.join(dir, 'servers-state'),
    pingScript: path.join(dir, 'ping-check.sh'),
    tlsDir: path.join(dir, 'tls'),
    log: path.join(dir, 'haproxy.log'),
  };
}

/** Octavia's ping wrapper (reference §12.3): HAProxy passes the server address as $3 and in the environment. */
const PING_SCRIPT = `#!/bin/sh
# PING health monitor for HAProxy's external-check (written by Sluice).
case "$HAPROXY_SERVER_ADDR" in
  *:*) exec ping -6 -q -n -w 1 -c 1 "$HAPROXY_SERVER_ADDR" >/dev/null 2>&1 ;;
  *) exec ping -q -n -w 1 -c 1 "$HAPROXY_SERVER_ADDR" >/dev/null 2>&1 ;;
esac
`;
const LOG_LIMIT = 1 << 20;

export class HaproxyError extends Error {}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class HaproxyInstance {
  readonly paths: InstancePaths;
  readonly #binary: string;
  #child: ChildProcess | undefined;
  #pid: number | undefined;
  #exited = true;

  constructor(binary: string, paths: InstancePaths) {
    this.#binary = binary;
    this.paths = paths;
  }

  get pid(): number | undefined {
    return this.#pid;
  }

  /** Creates the directories and the files HAProxy expects to find; refuses socket paths HAProxy cannot bind. */
  prepare(): void {
    for (const socket of [this.paths.masterSocket, this.paths.statsSocket]) {
      if (Buffer.byteLength(socket) > MAX_SOCKET_PATH) {
        throw new HaproxyError(
          `socket path ${socket} is longer than ${MAX_SOCKET_PATH} bytes; use a shorter runDir`,
        );
      }
    }
    fs.mkdirSync(this.paths.dir, { recursive: true, mode: 0o700 });
    if (this.paths.socketDir !== this.paths.dir) privateDirectory(this.paths.socketDir);
    fs.writeFileSync(this.paths.pingScript, PING_SCRIPT, { mode: 0o755 });
    if (!fs.existsSync(this.paths.serverStateFile)) fs.writeFileSync(this.paths.serverStateFile, '1\n');
  }

  /** Deletes the load balancer's directory (and the socket directory when it lives elsewhere and is ours). */
  removeFiles(): void {
    fs.rmSync(this.paths.dir, { recursive: true, force: true });
    const stat = fs.lstatSync(this.paths.socketDir, { throwIfNoEntry: false });
    if (stat?.isDirectory() && stat.uid === process.getuid?.())
      fs.rmSync(this.paths.socketDir, { recursive: true, force: true });
  }

  /** `haproxy -c` on `text` written to the candidate file; resolves with HAProxy's alerts when it is refused. */
  async check(text: string): Promise<string | undefined> {
    fs.writeFileSync(this.paths.candidate, text, { mode: 0o600 });
    const result = await new Promise<{ code: number; output: string }>((resolve) => {
      execFile(
        this.#binary,
        ['-c', '-f', this.paths.candidate],
        { timeout: 15_000 },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
          resolve({ code, output: `${stdout}${stderr}` });
        },
      );
    });
    return result.code === 0 ? undefined : haproxyAlerts(result.output);
  }

  /** Makes the checked candidate the live file, atomically (rename within one directory). */
  promoteCandidate(): void {
    fs.renameSync(this.paths.candidate, this.paths.config);
  }

  /** Keeps the live file as the last known good one. */
  markGood(): void {
    fs.copyFileSync(this.paths.config, `${this.paths.lastGood}.tmp`);
    fs.renameSync(`${this.paths.lastGood}.tmp`, this.paths.lastGood);
  }

  /** Puts the last known good file back as the live one; false when there is none. */
  restoreLastGood(): boolean {
    if (!fs.existsSync(this.paths.lastGood)) return false;
    fs.copyFileSync(this.paths.lastGood, `${this.paths.config}.tmp`);
    fs.renameSync(`${this.paths.config}.tmp`, this.paths.config);
    return true;
  }

  /** Whether the master process is alive (our child, or one adopted from the pid file). */
  alive(): boolean {
    if (this.#pid === undefined) return false;
    if (this.#child) return !this.#exited;
    return processRuns(this.#pid, this.paths.config);
  }

  /**
   * Takes over a master left running by an earlier provider process (same run directory) so a restart of the
   * agent neither drops traffic nor starts a second HAProxy on the same addresses.
   */
  adopt(): boolean {
    const pid = Number(readText(this.paths.pidFile)?.trim());
    if (!Number.isInteger(pid) || pid <= 0 || !processRuns(pid, this.paths.config)) return false;
    this.#pid = pid;
    this.#child = undefined;
    this.#exited = false;
    return true;
  }

  /** Starts the master on the live file and resolves once a worker answers on the stats socket. */
  async start(timeoutMs = 10_000): Promise<void> {
    this.#trimLog();
    const logStart = fileSize(this.paths.log);
    const log = fs.openSync(this.paths.log, 'a');
    const args = [
      '-W',
      '-S',
      `${this.paths.masterSocket},mode,600`,
      '-f',
      this.paths.config,
      '-p',
      this.paths.pidFile,
    ];
    // Its own process group: a terminal's signals do not reach it, and stop() can end master and workers at once.
    const child = spawn(this.#binary, args, { detached: true, stdio: ['ignore', log, log] });
    fs.closeSync(log);
    child.unref();
    this.#child = child;
    this.#pid = child.pid;
    this.#exited = child.pid === undefined;
    child.once('exit', () => {
      if (this.#child === child) this.#exited = true;
    });
    child.once('error', () => {
      if (this.#child === child) this.#exited = true;
    });
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.#exited) throw new HaproxyError(`haproxy did not start: ${this.#logSince(logStart)}`);
      const state = await this.masterState().catch(() => undefined);
      if (state && state.workers.length > 0 && (await this.#workerAnswers())) return;
      await sleep(20);
    }
    await this.stop(0);
    throw new HaproxyError(`haproxy did not start within ${timeoutMs} ms: ${this.#logSince(logStart)}`);
  }

  async masterState(): Promise<MasterState | undefined> {
    return parseShowProc(await socketCommand(this.paths.masterSocket, 'show proc', 2000));
  }

  /**
   * Reloads the master on the live file (`reload` on the master CLI = SIGUSR2): the new worker takes the
   * listening sockets over, the old ones finish their connections. Rejects with HAProxy's alerts when the new
   * configuration did not load; the old workers then keep serving (management guide, `prompt`: ReloadFailed).
   */
  async reload(timeoutMs = 15_000): Promise<void> {
    this.#trimLog();
    const logStart = fileSize(this.paths.log);
    const before = await this.masterState();
    if (!before) throw new HaproxyError('the haproxy master does not answer');
    await socketCommand(this.paths.masterSocket, 'reload', 2000).catch(() => '');
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      await sleep(20);
      // A reloading master re-executes itself; for an adopted master, known only by /proc, its command line
      // can read empty for that moment. Only a master still gone a little later has exited.
      if (!this.alive()) {
        await sleep(250);
        if (!this.alive())
          throw new HaproxyError(`haproxy exited during reload: ${this.#logSince(logStart)}`);
      }
      const state = await this.masterState().catch(() => undefined);
      if (!state || state.reloads === before.reloads) continue;
      // `[failed: N]` counts failed reloads since the last good one and drops to 0 on success.
      if (state.failed > before.failed) throw new HaproxyError(this.#logSince(logStart));
      if (state.workers.some((pid) => !before.workers.includes(pid)) && (await this.#workerAnswers())) return;
    }
    throw new HaproxyError(`haproxy did not finish reloading within ${timeoutMs} ms`);
  }

  /** Saves the workers' server states so the next worker starts with the same health (`server-state-file`). */
  async saveServerState(): Promise<void> {
    const state = await socketCommand(this.paths.statsSocket, 'show servers state', 3000);
    if (!/^1\s*$/m.test(state)) return;
    fs.writeFileSync(`${this.paths.serverStateFile}.tmp`, state);
    fs.renameSync(`${this.paths.serverStateFile}.tmp`, this.paths.serverStateFile);
  }

  /** Runs runtime API commands on the current worker; rejects on the first answer that is not a success. */
  async runtime(commands: readonly string[]): Promise<void> {
    for (const command of commands) {
      const answer = (await socketCommand(this.paths.statsSocket, command, 3000)).trim();
      if (answer !== '' && answer !== 'New server registered.') {
        throw new HaproxyError(`runtime API refused '${command}': ${answer}`);
      }
    }
  }

  /** Soft stop (SIGUSR1: finish open connections), then SIGKILL to the whole process group after `graceMs`. */
  async stop(graceMs = 3000): Promise<void> {
    const pid = this.#pid;
    if (pid === undefined) return;
    signal(pid, 'SIGUSR1');
    const deadline = Date.now() + graceMs;
    while (Date.now() < deadline && this.alive()) await sleep(25);
    if (this.alive() || groupRuns(pid)) {
      signal(-pid, 'SIGKILL');
      const killDeadline = Date.now() + 2000;
      while (Date.now() < killDeadline && this.alive()) await sleep(10);
    }
    this.#pid = undefined;
    this.#child = undefined;
    this.#exited = true;
  }

  /** The HAProxy log lines written since byte `offset`, reduced to its alerts. */
  #logSince(offset: number): string {
    const text = readText(this.paths.log) ?? '';
    return haproxyAlerts(text.slice(Math.min(offset, text.length)));
  }

  async #workerAnswers(): Promise<boolean> {
    const info = await socketCommand(this.paths.statsSocket, 'show info', 1000).catch(() => '');
    return /^Pid:/m.test(info);
  }

  #trimLog(): void {
    if (fileSize(this.paths.log) > LOG_LIMIT) fs.truncateSync(this.paths.log, 0);
  }
}

/**
 * Makes `dir` (a fixed name in a shared directory such as /tmp) a directory of this user that only this user
 * can enter: created 0700, or, when it is there already, a real directory (no symlink) owned by this user,
 * brought back to 0700. Anything else there is refused, since another user could otherwise reach the admin
 * sockets or swap them.
 */
function privateDirectory(dir: string): void {
  try {
    fs.mkdirSync(dir, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const stat = fs.lstatSync(dir);
  if (!stat.isDirectory() || stat.uid !== process.getuid?.()) {
    throw new HaproxyError(`socket directory ${dir} exists and is not a directory of this user; remove it`);
  }
  if ((stat.mode & 0o777) !== 0o700) fs.chmodSync(dir, 0o700);
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
}

/** Whether `pid` is a live (not zombie) haproxy running `config`. */
function processRuns(pid: number, config: string): boolean {
  const status = readText(`/proc/${pid}/status`);
  if (!status || /^State:\s+Z/m.test(status)) return false;
  const cmdline = readText(`/proc/${pid}/cmdline`) ?? '';
  return cmdline.includes('haproxy') && cmdline.includes(config);
}

/** Whether any process of the group led by `pid` is still alive (workers outlive a killed master briefly). */
function groupRuns(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

function fileSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}
