import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../config/config.ts';
import { requireSharedStore } from './control-plane.ts';

describe('requireSharedStore', () => {
  it('refuses a SQLite store for the commands that run beside others, saying to run sluice serve', () => {
    const config = loadConfig({ databaseUrl: 'sqlite:/tmp/x.db' }, {});
    assert.throws(() => requireSharedStore(config, 'controller'), {
      message:
        'sluice controller runs beside other processes on one PostgreSQL store (--database-url postgres://…); with SQLite run sluice serve',
    });
  });

  it('accepts a PostgreSQL store', () => {
    const config = loadConfig({ databaseUrl: 'postgres://db/sluice' }, {});
    assert.doesNotThrow(() => requireSharedStore(config, 'api'));
  });
});
