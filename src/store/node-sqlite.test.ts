import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { openStore } from './database.ts';
import { openNodeSqlite, STATEMENT_CACHE_SIZE } from './node-sqlite.ts';
import { ensurePrivateDir } from './private-files.ts';

const mode = (file: string) => fs.statSync(file).mode & 0o777;

describe('the SQLite store on disk', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-sqlite-'));
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('creates the database (migrated), its WAL and shared-memory files 0600 in a new 0700 directory', async () => {
    const previous = process.umask(0o022);
    try {
      const file = path.join(root, 'fresh', 'sluice.db');
      const store = await openStore(`sqlite:${file}`);
      assert.equal(mode(path.dirname(file)), 0o700);
      for (const suffix of ['', '-wal', '-shm'])
        assert.equal(mode(file + suffix), 0o600, `sluice.db${suffix}`);
      await store.close();
    } finally {
      process.umask(previous);
    }
  });

  it('tightens a database file an earlier version left readable by others', async () => {
    const file = path.join(root, 'old.db');
    fs.writeFileSync(file, '', { mode: 0o644 });
    fs.chmodSync(file, 0o644);
    const store = await openStore(`sqlite:${file}`);
    assert.equal(mode(file), 0o600);
    await store.close();
  });

  it('makes an existing data directory private', () => {
    const dir = path.join(root, 'data');
    fs.mkdirSync(dir, { mode: 0o755 });
    fs.chmodSync(dir, 0o755);
    ensurePrivateDir(dir);
    assert.equal(mode(dir), 0o700);
  });

  it('maps rows to plain objects and reports unique violations the way the repositories expect', async () => {
    const store = await openStore('sqlite::memory:', { migrate: false });
    await store.db.schema
      .createTable('t')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .execute();
    await store.db
      .insertInto('t' as never)
      .values({ id: 'a' } as never)
      .execute();
    const rows = await store.db
      .selectFrom('t' as never)
      .selectAll()
      .execute();
    assert.deepEqual(rows, [{ id: 'a' }]);
    const { isUniqueViolation } = await import('./codec.ts');
    const failure = await store.db
      .insertInto('t' as never)
      .values({ id: 'a' } as never)
      .execute()
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    assert.equal(isUniqueViolation(failure), true);
    await store.close();
  });
});

describe('prepared statements of the SQLite store', () => {
  it('prepares each SQL text once and reuses it', () => {
    const db = openNodeSqlite(':memory:');
    assert.equal(db.prepare('select 1 as one'), db.prepare('select 1 as one'));
    db.close();
  });

  it('answers a reused select * with the columns a later ALTER TABLE added', () => {
    const db = openNodeSqlite(':memory:');
    db.prepare('create table t (a integer)').run([]);
    db.prepare('insert into t (a) values (?)').run([1]);
    assert.deepEqual(db.prepare('select * from t').all([]), [{ a: 1 }]);
    db.prepare('alter table t add column b text').run([]);
    assert.deepEqual(db.prepare('select * from t').all([]), [{ a: 1, b: null }]);
    db.close();
  });

  it('keeps at most STATEMENT_CACHE_SIZE statements and prepares an evicted one again', () => {
    const db = openNodeSqlite(':memory:');
    const first = db.prepare('select 0 as n');
    for (let i = 1; i <= STATEMENT_CACHE_SIZE; i += 1) db.prepare(`select ${i} as n`);
    const again = db.prepare('select 0 as n');
    assert.notEqual(again, first);
    assert.deepEqual(again.all([]), [{ n: 0 }]);
    db.close();
  });
});
