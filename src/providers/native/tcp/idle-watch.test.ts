import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IdleWatch } from './idle-watch.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('IdleWatch', () => {
  it('calls back once the session was quiet for the whole timeout', async () => {
    let idle = 0;
    const watch = new IdleWatch(80, () => idle++);
    await sleep(40);
    assert.equal(idle, 0);
    await sleep(120);
    assert.equal(idle, 1);
    watch.stop();
  });

  it('waits as long again after each touch', async () => {
    let idleAt = 0;
    const started = Date.now();
    const watch = new IdleWatch(100, () => {
      idleAt = Date.now() - started;
    });
    for (let i = 0; i < 4; i += 1) {
      await sleep(50);
      watch.touch();
    }
    await sleep(60);
    assert.equal(idleAt, 0, 'not idle 60 ms after the last touch');
    await sleep(100);
    assert.ok(idleAt >= 290, `idle ${idleAt} ms after the start, at least 100 ms after the last touch`);
    watch.stop();
  });

  it('never calls back once stopped, or when the timeout is not positive', async () => {
    let idle = 0;
    new IdleWatch(30, () => idle++).stop();
    new IdleWatch(0, () => idle++);
    await sleep(80);
    assert.equal(idle, 0);
  });
});
