// iproute2 for the netns harness: `ip …` (async, bounded in time) and its synchronous twin for cleanups that
// run from a process 'exit' handler, where nothing asynchronous can run any more.
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
const TIMEOUT_MS = 10_000;

export async function ip(args: readonly string[]): Promise<string> {
  try {
    return (await run('ip', [...args], { timeout: TIMEOUT_MS })).stdout;
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new Error(`ip ${args.join(' ')}: ${stderr || (error as Error).message}`);
  }
}

/** Like ip(), but never throws: cleanups go on past what is already gone. */
export function ipSync(args: readonly string[]): string {
  try {
    return execFileSync('ip', [...args], {
      timeout: TIMEOUT_MS,
      stdio: ['ignore', 'pipe', 'ignore'],
    }).toString();
  } catch {
    return '';
  }
}

/** Process ids of every process in a namespace (`ip netns pids`). */
export function namespacePids(ns: string): number[] {
  return ipSync(['netns', 'pids', ns])
    .split('\n')
    .map((line) => Number(line.trim()))
    .filter((pid) => Number.isInteger(pid) && pid > 0);
}

/**
 * SIGKILLs every process in a namespace at once, as a host that dies; returns how many it signalled. All are
 * stopped (SIGSTOP) before any is killed: a process that sees another die would otherwise run its clean
 * shutdown in between. keepalived's VRRP child does (keepalived 2.2.7: kill -9 of the parent, the child logs
 * "Stopped" and exits), sending a priority-0 advert that hands the VIP over at once (RFC 5798 §6.4.3,
 * https://www.rfc-editor.org/rfc/rfc5798#section-6.4.3), which a dead host never sends.
 */
export function killNamespace(ns: string): number {
  const pids = namespacePids(ns);
  for (const signal of ['SIGSTOP', 'SIGKILL'] as const) {
    for (const pid of pids) {
      try {
        process.kill(pid, signal);
      } catch {
        // already gone
      }
    }
  }
  return pids.length;
}
