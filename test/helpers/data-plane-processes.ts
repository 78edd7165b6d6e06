// The data-plane processes a `sluice serve` (its local agent) left under its data dir, found by their pid
// files: native workers (`agent/native/worker-<i>.pid`) and HAProxy masters (`agent/haproxy/<lb>/haproxy.pid`).
// They outlive the agent by design, so a test that kills serve with -9 stops them here when it is done.
import fs from 'node:fs';
import path from 'node:path';

export type DataPlanePids = Readonly<{ agent?: number; native: number[]; haproxy: number[] }>;

/** The pid a pid file holds, or undefined when there is none: its process may remove it between any two calls
 * (an agent stopping removes `agent.pid`), so a missing file is an answer, not an error. */
const readPid = (file: string): number | undefined => {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const pid = Number(text.trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
};

const list = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir) : []);

/** Whether `pid` runs and its command line mentions `word` (so a reused pid is never taken for ours). */
export function runs(pid: number, word: string): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(word);
  } catch {
    return false;
  }
}

/** The live processes of the local agent's data dir (`<dataDir>/agent`), by kind. */
export function dataPlanePids(dataDir: string): DataPlanePids {
  const agentDir = path.join(dataDir, 'agent');
  const nativeDir = path.join(agentDir, 'native');
  const haproxyDir = path.join(agentDir, 'haproxy');
  const agent = readPid(path.join(agentDir, 'agent.pid'));
  return {
    agent: agent !== undefined && runs(agent, 'agent') ? agent : undefined,
    native: list(nativeDir)
      .filter((name) => /^worker-\d+\.pid$/.test(name))
      .flatMap((name) => readPid(path.join(nativeDir, name)) ?? [])
      .filter((pid) => runs(pid, 'native-worker')),
    haproxy: list(haproxyDir)
      .flatMap((lb) => readPid(path.join(haproxyDir, lb, 'haproxy.pid')) ?? [])
      .filter((pid) => runs(pid, 'haproxy')),
  };
}

/** Kills (-9) the agent and every data-plane process of a data dir, and waits until they are gone. */
export async function stopDataPlane(dataDir: string): Promise<void> {
  const { agent, native, haproxy } = dataPlanePids(dataDir);
  const pids = [...(agent === undefined ? [] : [agent]), ...native, ...haproxy];
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch (error) {
      // It exited since it was listed.
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
  }
  for (let i = 0; i < 100 && pids.some((pid) => runs(pid, '')); i += 1)
    await new Promise((resolve) => setTimeout(resolve, 20));
}
