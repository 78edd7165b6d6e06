// Removes what crashed harness runs left behind: namespaces named with NETNS_PREFIX and run directories
// whose owner process is gone (or whose owner file is missing). Live runs, parallel ones included, are kept.
import fs from 'node:fs';
import path from 'node:path';
import { ipSync } from './ip-command.ts';
import { NETNS_PREFIX, OWNER_FILE, RUNS_ROOT, removeNamespaces } from './netns-run.ts';

function ownerAlive(runId: string): boolean {
  let pid: number;
  try {
    pid = Number(fs.readFileSync(path.join(RUNS_ROOT, runId, OWNER_FILE), 'utf8'));
  } catch {
    return false;
  }
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Sweeps leftovers of dead runs; returns the namespaces it removed. */
export function sweepStaleRuns(): string[] {
  const stale = ipSync(['netns', 'list'])
    .split('\n')
    .map((line) => line.split(' ')[0].trim())
    .filter((name) => name.startsWith(NETNS_PREFIX))
    .filter((name) => !ownerAlive(name.slice(NETNS_PREFIX.length).split('-')[0]));
  removeNamespaces(stale);
  let runs: string[] = [];
  try {
    runs = fs.readdirSync(RUNS_ROOT);
  } catch {
    // no run ever made the directory
  }
  for (const runId of runs.filter((id) => !ownerAlive(id))) {
    fs.rmSync(path.join(RUNS_ROOT, runId), { recursive: true, force: true });
  }
  return stale;
}
