// The runtime users get: Node 24 or newer from the project's own `node` package, running the JavaScript that
// `npm ci` built into dist/, and a clear refusal when `sluice` is started by an older Node.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { SLUICE_BIN } from '../../src/bin/sluice-bin.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const major = (version: string) => Number(version.replace(/^v/, '').split('.')[0]);

/** A Node older than 24 on this machine (the system's, typically), if there is one. */
function olderNode(): string | undefined {
  for (const candidate of ['/usr/bin/node', '/usr/local/bin/node']) {
    if (!fs.existsSync(candidate) || fs.realpathSync(candidate) === fs.realpathSync(process.execPath))
      continue;
    const version = execFileSync(candidate, ['--version'], { encoding: 'utf8' }).trim();
    if (major(version) < 24) return candidate;
  }
  return undefined;
}

describe('the runtime', () => {
  it('runs the tests on Node 24 or newer, and npm ci installed a Node 24 that npm scripts run first', () => {
    assert.ok(major(process.version) >= 24, `running on ${process.version}`);
    const pinned = execFileSync(path.join(ROOT, 'node_modules/.bin/node'), ['--version'], {
      encoding: 'utf8',
    });
    assert.equal(major(pinned), 24);
  });

  it('starts sluice from the JavaScript built into dist/, with no TypeScript loader', () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-runtime-'));
    try {
      const run = spawnSync(process.execPath, [SLUICE_BIN, 'db', 'upgrade', '--data-dir', dataDir], {
        encoding: 'utf8',
      });
      assert.equal(run.status, 0, run.stderr);
      assert.ok(fs.existsSync(path.join(ROOT, 'dist/bin/sluice.js')));
      const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
      assert.deepEqual(
        ['tsx', 'ts-node', 'better-sqlite3'].filter((name) => name in manifest.dependencies),
        [],
      );
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses to start on an older Node and says how to run it', (t) => {
    const older = olderNode();
    if (!older) return t.skip('no Node older than 24 on this machine');
    const run = spawnSync(older, [SLUICE_BIN, '--help'], { encoding: 'utf8' });
    assert.equal(run.status, 1);
    assert.match(run.stderr, /^sluice needs Node\.js 24 or newer; this is v\d+/);
    assert.match(run.stderr, /run it as `npm start` or `npx sluice …`/);
  });
});
