// Where one native worker process of an agent keeps its files: `<dir>/worker-<i>.sock` (the control socket,
// also how a restarted agent finds it), `.pid` (for operators and cleanup) and `.log` (its stdout/stderr,
// since a detached worker has no terminal). A UNIX socket path must fit sockaddr_un.sun_path (108 bytes with
// its NUL, unix(7)); under a deeper directory the socket goes to a private directory in the temporary
// directory named after `dir`, so the same agent data dir always finds the same socket.
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';

const MAX_SOCKET_PATH = 107;

export type WorkerPaths = Readonly<{ socket: string; pidFile: string; log: string }>;

/** The directory holding the sockets of the workers of `dir`. */
export function workerSocketDir(dir: string): string {
  if (Buffer.byteLength(path.join(dir, 'worker-99.sock')) <= MAX_SOCKET_PATH) return dir;
  const hash = createHash('sha256').update(path.resolve(dir)).digest('hex').slice(0, 16);
  return path.join(os.tmpdir().length < 40 ? os.tmpdir() : '/tmp', `sluice-native-${hash}`);
}

export function workerPaths(dir: string, index: number): WorkerPaths {
  return {
    socket: path.join(workerSocketDir(dir), `worker-${index}.sock`),
    pidFile: path.join(dir, `worker-${index}.pid`),
    log: path.join(dir, `worker-${index}.log`),
  };
}

/** The worker indexes whose pid files are in `dir` (workers an earlier agent may have left running). */
export function workerIndexes(names: readonly string[]): number[] {
  return names.flatMap((name) => {
    const match = /^worker-(\d+)\.pid$/.exec(name);
    return match ? [Number(match[1])] : [];
  });
}
