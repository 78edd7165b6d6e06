import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { answerWithin } from './answer-within.ts';

describe('answerWithin', () => {
  it("gives the work's answer when it comes in time", async () => {
    assert.equal(await answerWithin(Promise.resolve('done'), 1000, 'late'), 'done');
  });

  it('gives the late answer when the work does not finish in time', async () => {
    assert.equal(await answerWithin(new Promise<string>(() => {}), 20, 'late'), 'late');
  });
});
