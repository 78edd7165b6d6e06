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

/** Schema statements: the columns of a statement prepared before one may have changed. */
const DDL = /^\s*(create|alter|drop)\b/i;

function kyselyDatabase(database: DatabaseSync): SqliteDatabase {
  // Least recently used first (Map keeps insertion order). Reusing a statement is safe: node:sqlite runs each
  // one to completion synchronously. A statement knows its columns from when it was prepared, so every one is
  // dropped after a schema statement (migrations run them before anything else).
  const prepared = new Map<string, SqliteStatement>();
  const forgetAll = () => prepared.clear();
  return {
    close: () => database.close(),
    prepare: (sql) => {
      const cached = prepared.get(sql);
      if (cached) {
        prepared.delete(sql);
        prepared.set(sql, cached);
        return cached;
      }
      const statement = kyselyStatement(database.prepare(sql), DDL.test(sql) ? forgetAll : undefined);
      prepared.set(sql, statement);
      if (prepared.size > STATEMENT_CACHE_SIZE) prepared.delete(prepared.keys().next().value as string);
      return statement;
    },
  };
}

/**
 * A statement as Kysely drives it. Rows are read as arrays and made into plain objects by column name: 4× faster
 * than copying the prototype-less objects node:sqlite returns (callers, and deepEqual in tests, expect plain
 * ones), which was half the cost of reading 1,000 rows (issue #18). A repeated column name keeps its last value,
 * as in the objects node:sqlite makes.
 */
function kyselyStatement(statement: StatementSync, afterRun?: () => void): SqliteStatement {
  const values = (parameters: ReadonlyArray<unknown>) => parameters as SQLInputValue[];
  const columns = statement.columns().map((column) => column.name);
  if (columns.length > 0) statement.setReturnArrays(true);
  const toRow = (cells: unknown) => {
    const row: Record<string, unknown> = {};
    for (let i = 0; i < columns.length; i += 1) row[columns[i]] = (cells as unknown[])[i];
    return row;
  };
  return {
    reader: columns.length > 0,
    all: (parameters) => statement.all(...values(parameters)).map(toRow),
    run: (parameters) => {
      const result = statement.run(...values(parameters));
      afterRun?.();
      return result;
    },
    // Materialised first: a cached statement may be run again before a lazy iteration of it would finish.
    iterate: function* (parameters) {
      for (const cells of statement.all(...values(parameters))) yield toRow(cells);
    },
  };
}
