// Talking to HAProxy's UNIX sockets: one command per connection (non-interactive mode, management guide §9.3),
// bounded in time, plus the parsers for the master CLI's `show proc` and the workers' `show info;show stat`.
import net from 'node:net';

/** Sends `command` (several may be joined with `;`) and resolves with everything HAProxy answers. */
export function socketCommand(path: string, command: string, timeoutMs = 3000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(path);
    let answer = '';
    const timer = setTimeout(
      () => socket.destroy(new Error(`no answer to '${command}' on ${path}`)),
      timeoutMs,
    );
    socket.setEncoding('utf8');
    // Half-closing tells HAProxy the command is complete; it closes once it has answered.
    socket.on('connect', () => socket.end(`${command}\n`));
    socket.on('data', (chunk: string) => {
      answer += chunk;
    });
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.on('close', (hadError) => {
      clearTimeout(timer);
      if (!hadError) resolve(answer);
    });
  });
}

export type MasterState = Readonly<{
  masterPid: number;
  reloads: number;
  /** failed reloads since the last successful one (`[failed: N]`) */
  failed: number;
  /** workers of the current generation */
  workers: readonly number[];
  /** workers of earlier generations still finishing their connections */
  oldWorkers: readonly number[];
}>;

/** Parses the master CLI's `show proc` (management guide §9.4). */
export function parseShowProc(text: string): MasterState | undefined {
  let section: 'master' | 'workers' | 'old' | 'other' = 'master';
  let master: { pid: number; reloads: number; failed: number } | undefined;
  const workers: number[] = [];
  const oldWorkers: number[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('# workers')) section = 'workers';
    else if (line.startsWith('# old workers')) section = 'old';
    else if (line.startsWith('#')) section = line.startsWith('#<PID>') ? 'master' : 'other';
    else {
      const match = /^(\d+)\s+(\S+)\s+(\d+)(?:\s+\[failed:\s*(\d+)\])?/.exec(line);
      if (!match) continue;
      const pid = Number(match[1]);
      if (section === 'master' && match[2] === 'master') {
        master = { pid, reloads: Number(match[3]), failed: Number(match[4] ?? 0) };
      } else if (section === 'workers' && match[2] === 'worker') workers.push(pid);
      else if (section === 'old' && match[2] === 'worker') oldWorkers.push(pid);
    }
  }
  if (!master) return undefined;
  return { masterPid: master.pid, reloads: master.reloads, failed: master.failed, workers, oldWorkers };
}

export type StatRow = Readonly<Record<string, string>>;

/** Parses `show info;show stat`: the answering worker's pid and the CSV rows keyed by column name. */
export function parseInfoAndStat(text: string): { pid: number; rows: StatRow[] } | undefined {
  const pid = /^Pid:\s*(\d+)/m.exec(text);
  const headerAt = text.indexOf('# pxname,');
  if (!pid || headerAt < 0) return undefined;
  const [header, ...lines] = text.slice(headerAt + 2).split('\n');
  const columns = header.split(',');
  const rows = lines
    .filter((line) => line.includes(','))
    .map((line) => {
      const cells = line.split(',');
      return Object.fromEntries(columns.map((name, i) => [name, cells[i] ?? '']));
    });
  return { pid: Number(pid[1]), rows };
}

/** HAProxy's alerts from a `haproxy -c` run or a startup log, without the `[ALERT] (pid) : ` prefixes. */
export function haproxyAlerts(output: string): string {
  const alerts = output
    .split('\n')
    .filter((line) => line.startsWith('[ALERT]'))
    .map((line) => line.replace(/^\[ALERT\]\s*\(\d+\)\s*:\s*/, '').trim())
    .filter((line) => line.length > 0);
  return alerts.length > 0 ? alerts.join('; ') : output.trim().split('\n').slice(-3).join('; ');
}
