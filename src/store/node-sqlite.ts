// Opens a SQLite file with Node's built-in `node:sqlite` and shapes it as the database Kysely's SqliteDialect
// drives (the better-sqlite3 interface: statements know whether they return rows, parameters come as one array).
// Prepared statements are kept per SQL text (Kysely prepares every query anew: at 1,000 load balancers that
// was an eighth of the API process's CPU, issue #18).
// The files are the tenants' whole state, so they are created 0600 in a 0700 directory.
import fs from 'node:fs';
import path from 'node:path';
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import type { SqliteDatabase, SqliteStatement } from 'kysely';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from './private-files.ts';

/** Opens (creating when missing) the database file; the journal files SQLite adds take the file's mode. */
export function openNodeSqlite(file: string): SqliteDatabase {
  if (file !== ':memory:') restrictFiles(file);
  return kyselyDatabase(new DatabaseSync(file));
}

// SQLite's unix VFS gives the -wal and -shm files the permissions of the database file
// (https://www.sqlite.org/tempfiles.html, "robust_open … same permissions as the database"), so making the
// database file private first keeps all three private; files left by an older, laxer version are tightened.
function restrictFiles(file: string): void {
  const dir = path.dirname(path.resolve(file));
  if (!fs.existsSync(dir)) fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  fs.closeSync(fs.openSync(file, 'a', PRIVATE_FILE_MODE));
  for (const suffix of ['', '-wal', '-shm']) {
    if (fs.existsSync(file + suffix)) fs.chmodSync(file + suffix, PRIVATE_FILE_MODE);
  }
}

/** Distinct statements kept prepared; the queries Sluice builds are a few hundred shapes. */
export const STATEMENT_CACHE_SIZE = 500;

function kyselyDatabase(database: DatabaseSync): SqliteDatabase {
  // Least recently used first (Map keeps insertion order). Reusing a statement is safe: node:sqlite runs each
  // one to completion synchronously, and SQLite re-prepares it by itself after a schema change
  // (https://www.sqlite.org/c3ref/prepare.html, "sqlite3_prepare_v2 … SQLITE_SCHEMA").
  const prepared = new Map<string, SqliteStatement>();
  return {
    close: () => database.close(),
    prepare: (sql) => {
      const cached = prepared.get(sql);
      if (cached) {
        prepared.delete(sql);
        prepared.set(sql, cached);
        return cached;
      }
      const statement = kyselyStatement(database.prepare(sql));
      prepared.set(sql, statement);
      if (prepared.size > STATEMENT_CACHE_SIZE) prepared.delete(prepared.keys().next().value as string);
      return statement;
    },
  };
}

// node:sqlite returns rows without a prototype; callers (and deepEqual in tests) expect plain objects.
const plain = (row: unknown) => ({ ...(row as object) });

function kyselyStatement(statement: StatementSync): SqliteStatement {
  const values = (parameters: ReadonlyArray<unknown>) => parameters as SQLInputValue[];
  return {
    reader: statement.columns().length > 0,
    all: (parameters) => statement.all(...values(parameters)).map(plain),
    run: (parameters) => statement.run(...values(parameters)),
    // Materialised first: a cached statement may be run again before a lazy iteration of it would finish.
    iterate: function* (parameters) {
      for (const row of statement.all(...values(parameters))) yield plain(row);
    },
  };
}
