// Log lines for people (issue #16): when stdout is a terminal, each pino JSON record is written as one
// readable line (time, level, service, message, then the other fields as key=value) with an error's stack
// under it; otherwise the JSON lines go out unchanged, for journald and log shippers. Pino's record fields:
// https://getpino.io/#/docs/api?id=logger (level numbers 10 trace … 60 fatal).
import { type Logger, type LoggerOptions, pino } from 'pino';

const LEVELS: Readonly<Record<number, readonly [name: string, color: string]>> = {
  10: ['TRACE', '90'],
  20: ['DEBUG', '90'],
  30: ['INFO ', '32'],
  40: ['WARN ', '33'],
  50: ['ERROR', '31'],
  60: ['FATAL', '35'],
};

/** Fields every record has, shown in the line's fixed part or not at all. */
const FIXED = new Set(['level', 'time', 'msg', 'service', 'pid', 'hostname', 'err']);

const paint = (color: boolean, code: string, text: string) => (color ? `\x1b[${code}m${text}\x1b[0m` : text);

/** A value as key=value shows it: plain when it has no space or quote, JSON otherwise. */
function shown(value: unknown): string {
  if (typeof value === 'string' && /^[^\s"=]+$/.test(value)) return value;
  return JSON.stringify(value) ?? String(value);
}

/** One pino JSON record as a readable line (with a newline); a line that is not a record passes unchanged. */
export function humanLine(json: string, color: boolean): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json.endsWith('\n') ? json : `${json}\n`;
  }
  const time = new Date(Number(record.time)).toISOString().slice(11, 23);
  const [name, code] = LEVELS[Number(record.level)] ?? [String(record.level), '0'];
  const fields = Object.entries(record)
    .filter(([key]) => !FIXED.has(key))
    .map(([key, value]) => `${paint(color, '2', `${key}=`)}${shown(value)}`);
  const service = typeof record.service === 'string' ? `${record.service}: ` : '';
  const head = [
    `${paint(color, '2', time)} ${paint(color, code, name)} ${service}${record.msg ?? ''}`,
    ...fields,
  ];
  const err = record.err as { stack?: string; message?: string } | undefined;
  const stack = err?.stack ?? err?.message;
  return `${head.join(' ')}${stack ? `\n${stack.replace(/^/gm, '    ')}` : ''}\n`;
}

/** The process's logger: readable lines on a terminal, JSON lines otherwise. */
export function createLogger(options: LoggerOptions, stdout: NodeJS.WriteStream = process.stdout): Logger {
  if (!stdout.isTTY) return pino(options);
  const color = stdout.hasColors?.() ?? false;
  return pino(options, { write: (line: string) => void stdout.write(humanLine(line, color)) });
}
