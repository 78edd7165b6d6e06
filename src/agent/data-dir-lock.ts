// One agent per data dir: `<dataDir>/agent.pid`, created exclusively (O_EXCL) and holding the owner's pid.
// A file whose pid is no longer a running `sluice agent` (killed by -9, pid reused) is stale and replaced.
// Two agents on one data dir would both adopt the same data-plane workers and fight over them; a restarted
// `sluice serve` whose previous agent is still exiting therefore waits here for it (bounded).
import fs from 'node:fs';
import path from 'node:path';

export type DataDirLock = Readonly<{ path: string; release(): void }>;

/** Whether `pid` runs a `sluice agent` (its command line, from /proc/<pid>/cmdline, proc(5)). */
export function runsAgent(pid: number): boolean {
  try {
    const argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return argv.includes('agent') && argv.some((arg) => arg.includes('sluice'));
  } catch {
    return false;
  }
}

/** `locked`, the pid of a live holder, or `retry` (a stale file was moved away, or vanished meanwhile). */
function tryLock(file: string): 'locked' | 'retry' | number {
  try {
    const fd = fs.openSync(file, 'wx', 0o600);
    fs.writeSync(fd, `${process.pid}\n`);
    fs.closeSync(fd);
    return 'locked';
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const text = readText(file);
  if (text === undefined) return 'retry';
  const holder = Number(text);
  if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && runsAgent(holder)) return holder;
  // Stale. Renamed aside rather than removed, so that of two agents racing here the second cannot delete the
  // lock the first just took: a renamed file that is not the stale one is put back (link fails if taken).
  const aside = `${file}.stale.${process.pid}`;
  try {
    fs.renameSync(file, aside);
  } catch {
    return 'retry';
  }
  if (readText(aside) !== text) {
    try {
      fs.linkSync(aside, file);
    } catch {
      // Someone else holds it now; the next attempt reads that pid.
    }
  }
  fs.rmSync(aside, { force: true });
  return 'retry';
}

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** Takes the data dir's lock, waiting up to `waitMs` for a live holder to exit. */
export async function lockDataDir(dataDir: string, waitMs = 10_000): Promise<DataDirLock> {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(dataDir, 'agent.pid');
  const deadline = Date.now() + waitMs;
  for (;;) {
    const holder = tryLock(file);
    if (holder === 'locked') break;
    if (holder !== 'retry' && Date.now() > deadline)
      throw new Error(`another sluice agent (pid ${holder}) runs on the data dir ${dataDir}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const release = () => {
    if (readText(file) === String(process.pid)) fs.rmSync(file, { force: true });
  };
  return { path: file, release };
}
