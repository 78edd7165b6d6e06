// The certificate files of one load balancer's HAProxy on disk: written into its private directory (0700) as
// 0600 files, each atomically (temporary name, then rename) and only once, since a name is a hash of its
// content; pruned to those the applied configuration names once it runs.
import fs from 'node:fs';
import path from 'node:path';

/** Writes every file of `files` (base name → content) missing from `dir`. */
export function writeTlsFiles(dir: string, files: ReadonlyMap<string, string>): void {
  if (files.size === 0 && !fs.existsSync(dir)) return;
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  for (const [name, content] of files) {
    const file = path.join(dir, name);
    if (fs.existsSync(file)) continue;
    const temporary = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, content, { mode: 0o600 });
    fs.renameSync(temporary, file);
  }
}

/** Removes from `dir` every file `keep` does not name (certificates no configuration uses any more). */
export function pruneTlsFiles(dir: string, keep: ReadonlyMap<string, string>): void {
  if (!fs.existsSync(dir)) return;
  for (const name of fs.readdirSync(dir)) {
    if (!keep.has(name)) fs.rmSync(path.join(dir, name), { force: true });
  }
}
