import assert from 'node:assert/strict';
import { it } from 'node:test';
import { eachBounded } from './each-bounded.ts';

it('runs every item, never more than the limit at once', async () => {
  let running = 0;
  let most = 0;
  const done: number[] = [];
  await eachBounded([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
    running += 1;
    most = Math.max(most, running);
    await new Promise((r) => setImmediate(r));
    done.push(n);
    running -= 1;
  });
  assert.deepEqual([...done].sort(), [1, 2, 3, 4, 5, 6, 7]);
  assert.equal(most, 3);
});
