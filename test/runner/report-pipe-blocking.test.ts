// The test runner's own contract: a file whose tests all pass is counted whole, with the flags run-tests.sh
// gives `node --test` (including --test-force-exit; see report-pipe-blocking.ts for the loss this guards).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');
const FILES = 40;
const TESTS_PER_FILE = 100;

/** The runner's flags, read from run-tests.sh so this test checks what CI runs. */
async function runnerFlags(): Promise<string[]> {
  const script = await readFile(join(import.meta.dirname, 'run-tests.sh'), 'utf8');
  const line = /^flags='([^']*)'$/m.exec(script);
  assert.ok(line, "run-tests.sh declares its node --test flags in one flags='…' line");
  return line[1].split(' ');
}

test('every result of many fast files reaches the runner despite --test-force-exit', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sluice-runner-'));
  try {
    const files: string[] = [];
    for (let f = 0; f < FILES; f++) {
      const lines = ["import { test } from 'node:test';"];
      for (let t = 0; t < TESTS_PER_FILE; t++) {
        lines.push(
          `test('file ${f} passes its test number ${t}, a name long enough to fill the pipe', () => {});`,
        );
      }
      const file = join(dir, `f${f}.test.mjs`);
      await writeFile(file, lines.join('\n'));
      files.push(file);
    }
    // NODE_TEST_CONTEXT would make the inner runner report to this one as a child instead of to its stdout.
    const { NODE_TEST_CONTEXT: _, ...env } = process.env;
    const { stdout } = await run(process.execPath, ['--test', ...(await runnerFlags()), ...files], {
      cwd: root,
      env,
      maxBuffer: 64 * 1024 * 1024,
    });
    const counted = /^ℹ tests (\d+)$/m.exec(stdout);
    const passed = /^ℹ pass (\d+)$/m.exec(stdout);
    assert.deepEqual(
      { tests: Number(counted?.[1]), pass: Number(passed?.[1]) },
      { tests: FILES * TESTS_PER_FILE, pass: FILES * TESTS_PER_FILE },
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
