// What `sluice vrrp-check` answers for keepalived's host check (docs/ha.md, "The check"): whether this host's
// data-plane processes run. Every native worker with a pid file must be alive and accept a connection on its
// control socket; every HAProxy master under `<dataDir>/haproxy/*/` must be alive. It runs every second, so it
// only reads a few files and opens one local socket per worker, each bounded.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { instancePaths } from '../haproxy/haproxy-process.ts';
import { workerIndexes, workerPaths } from '../native/workers/worker-paths.ts';
import { readText } from '../read-text.ts';

/** how long a native worker's control socket may take to accept */
export const SOCKET_TIMEOUT_MS = 500;

/** Resolves with what is wrong with the data plane under `dataDir`, or null when every process serves. */
export async function checkDataPlane(
  dataDir: string,
  socketTimeoutMs = SOCKET_TIMEOUT_MS,
): Promise<string | null> {
  const failures = await Promise.all([
    ...nativeWorkers(path.join(dataDir, 'native')).map((worker) => checkWorker(worker, socketTimeoutMs)),
    ...haproxyMasters(path.join(dataDir, 'haproxy')).map(checkHaproxy),
  ]);
  return failures.find((failure) => failure !== null) ?? null;
}

type Worker = { index: number; pidFile: string; socket: string };

function nativeWorkers(dir: string): Worker[] {
  return workerIndexes(listDir(dir)).map((index) => ({ index, ...workerPaths(dir, index) }));
}

async function checkWorker(worker: Worker, timeoutMs: number): Promise<string | null> {
  const pid = readPid(worker.pidFile);
  // A worker that stopped cleanly removed its pid file; one whose file went meanwhile is not a failure.
  if (pid === 'gone') return null;
  if (pid === undefined || !runs(pid, 'native-worker'))
    return `native worker ${worker.index} (pid file ${worker.pidFile}) is not running`;
  if (!(await accepts(worker.socket, timeoutMs)))
    return `native worker ${worker.index} (pid ${pid}) does not accept on ${worker.socket} within ${timeoutMs} ms`;
  return null;
}

function haproxyMasters(runDir: string): string[] {
  return listDir(runDir).map((id) => instancePaths(runDir, id).pidFile);
}

async function checkHaproxy(pidFile: string): Promise<string | null> {
  const pid = readPid(pidFile);
  if (pid === 'gone') return null;
  if (pid === undefined || !runs(pid, 'haproxy'))
    return `haproxy master (pid file ${pidFile}) is not running`;
  return null;
}

/**
 * Removes the pid files of HAProxy masters that no longer run, for an agent starting on the data dir: HAProxy
 * leaves its pid file behind when it stops, so after a clean stop or a reboot a load balancer that is not
 * desired here any more (and so never started again) would fail the check for good. Those still desired are
 * started again by the agent, which writes their pid files anew. Returns the files removed.
 */
export function forgetStoppedHaproxyMasters(dataDir: string): string[] {
  return haproxyMasters(path.join(dataDir, 'haproxy')).filter((pidFile) => {
    const pid = readPid(pidFile);
    if (pid === 'gone' || (pid !== undefined && runs(pid, 'haproxy'))) return false;
    fs.rmSync(pidFile, { force: true });
    return true;
  });
}

function accepts(socket: string, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const connection = net.connect(socket);
    const done = (ok: boolean) => {
      clearTimeout(timer);
      connection.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    connection.once('connect', () => done(true));
    connection.once('error', () => done(false));
  });
}

/** The pid in a pid file; 'gone' when there is no file, undefined when it holds no pid. */
function readPid(file: string): number | 'gone' | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return 'gone';
  }
  const pid = Number(text.trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/**
 * Whether `pid` is a live process whose command line names `program` (a reused pid of another program does
 * not count): /proc/<pid>/stat's third field is the state, Z for a zombie (proc(5)).
 */
function runs(pid: number, program: string): boolean {
  const stat = readText(`/proc/${pid}/stat`);
  if (stat === undefined || stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) return false;
  return (readText(`/proc/${pid}/cmdline`) ?? '').split('\0').some((arg) => arg.includes(program));
}

function listDir(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}
