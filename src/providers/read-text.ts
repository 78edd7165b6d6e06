// Reads a small state file (pid file, rendered configuration) as text; undefined when it cannot be read.
import fs from 'node:fs';

export function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
