import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startTestApi } from '../../../test/helpers/test-api.ts';
import { openStore } from '../../store/database.ts';

describe('health routes', () => {
  it('answers /healthz and /readyz with 200 and no token while the store answers', async () => {
    const api = await startTestApi();
    try {
      for (const path of ['/healthz', '/readyz']) {
        const response = await api.call('GET', path);
        assert.equal(response.statusCode, 200);
        assert.deepEqual(response.json(), { status: 'ok' });
      }
    } finally {
      await api.close();
    }
  });

  it('answers 503 with the reason once the store is gone', async () => {
    const store = await openStore('sqlite::memory:');
    const api = await startTestApi({ store });
    try {
      await store.close();
      const response = await api.call('GET', '/healthz');
      assert.equal(response.statusCode, 503);
      assert.deepEqual(response.json(), {
        status: 'unavailable',
        reason: 'store unreachable: driver has already been destroyed',
      });
    } finally {
      await api.close({ keepStore: true });
    }
  });
});
