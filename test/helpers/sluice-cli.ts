// Runs the `sluice` CLI (bin/sluice.js) as a user would after `. sluice-data/admin-openrc`: the environment
// that file gives a shell and nothing of this process's OS_* variables, in a directory without clouds.yaml.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { renderAdminOpenrc } from '../../src/identity/admin-openrc.ts';

const run = promisify(execFile);
/** The command a user runs. */
export const SLUICE_BIN = path.resolve(import.meta.dirname, '../../bin/sluice.js');

export type CliResult = { code: number; stdout: string; stderr: string };

/** What sourcing `<dataDir>/admin-openrc` sets, plus PATH and HOME (=`home`). */
export async function adminOpenrcEnv(dataDir: string, home: string): Promise<NodeJS.ProcessEnv> {
  const sourced = await run('sh', ['-c', '. "$1" && env', 'sh', path.join(dataDir, 'admin-openrc')], {
    env: { PATH: process.env.PATH },
  });
  const vars = sourced.stdout.split('\n').filter((line) => line.startsWith('OS_'));
  return { PATH: process.env.PATH, HOME: home, ...Object.fromEntries(vars.map((l) => l.split(/=(.*)/s, 2))) };
}

/** The same for a serve started with SLUICE_ADMIN_PASSWORD (it then writes no admin-openrc): the file it
 * would write, written in `home` and sourced. */
export async function passwordOpenrcEnv(
  url: string,
  password: string,
  home: string,
): Promise<NodeJS.ProcessEnv> {
  fs.writeFileSync(path.join(home, 'admin-openrc'), renderAdminOpenrc(url, password), { mode: 0o600 });
  return adminOpenrcEnv(home, home);
}

/** `sluice …` in `cwd` with `env`; its exit code and output (a failure is a result, not a rejection). */
export async function runSluice(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, [SLUICE_BIN, ...args], {
      env,
      cwd,
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout: string; stderr: string };
    if (typeof e.code !== 'number') throw error;
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
