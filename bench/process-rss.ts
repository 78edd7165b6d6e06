// Resident memory of a process tree, read from Linux's /proc: VmRSS of /proc/<pid>/status (proc(5)) for a
// pid and every descendant found through /proc/<pid>/task/<tid>/children (Linux ≥ 3.5, proc(5)), and the
// proportional set size of /proc/<pid>/smaps_rollup (Linux ≥ 4.14): RSS counts the pages a process shares
// (the haproxy binary and libraries) once per process, PSS divides them among the processes sharing them.
import fs from 'node:fs';

const read = (file: string): string | undefined => {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined; // the process exited between listing and reading
  }
};

/** `pid` and all its descendants that run now. */
export function processTree(pid: number): number[] {
  const found = new Set<number>();
  const queue = [pid];
  // Bounded: a tree never holds more processes than this, and each pid is visited once.
  while (queue.length > 0 && found.size < 10_000) {
    const next = queue.shift() as number;
    if (found.has(next) || read(`/proc/${next}/status`) === undefined) continue;
    found.add(next);
    const tasks = fs.existsSync(`/proc/${next}/task`) ? fs.readdirSync(`/proc/${next}/task`) : [];
    for (const tid of tasks) {
      for (const child of (read(`/proc/${next}/task/${tid}/children`) ?? '').split(' ')) {
        if (child.trim()) queue.push(Number(child));
      }
    }
  }
  return [...found];
}

/** VmRSS of one process in bytes (0 once it exited). */
export function rss(pid: number): number {
  const kb = /^VmRSS:\s+(\d+) kB$/m.exec(read(`/proc/${pid}/status`) ?? '')?.[1];
  return kb === undefined ? 0 : Number(kb) * 1024;
}

/** VmRSS in bytes of each distinct process in the trees of `roots`, summed. */
export function treeRss(roots: readonly number[]): number {
  let bytes = 0;
  for (const pid of new Set(roots.flatMap(processTree))) bytes += rss(pid);
  return bytes;
}

/** Pss of /proc/<pid>/smaps_rollup in bytes (0 once it exited, or where the kernel lacks the file). */
export function pss(pid: number): number {
  const kb = /^Pss:\s+(\d+) kB$/m.exec(read(`/proc/${pid}/smaps_rollup`) ?? '')?.[1];
  return kb === undefined ? 0 : Number(kb) * 1024;
}

/** Pss in bytes of each distinct process in the trees of `roots`, summed: what the trees cost together. */
export function treePss(roots: readonly number[]): number {
  let bytes = 0;
  for (const pid of new Set(roots.flatMap(processTree))) bytes += pss(pid);
  return bytes;
}
