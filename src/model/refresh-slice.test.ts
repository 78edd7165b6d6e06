import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { inRefreshSlice } from './refresh-slice.ts';

describe('refresh slices', () => {
  it('puts every id in exactly one slice of each round of passes', () => {
    for (let i = 0; i < 200; i += 1) {
      const id = randomUUID();
      const slices = Array.from({ length: 30 }, (_, pass) => inRefreshSlice(id, pass, 30)).filter(Boolean);
      assert.equal(slices.length, 1, id);
    }
  });

  it('spreads 3,000 ids over 30 slices without a slice holding three times its share', () => {
    const counts = new Array<number>(30).fill(0);
    for (let i = 0; i < 3000; i += 1) {
      const id = randomUUID();
      counts[counts.findIndex((_, pass) => inRefreshSlice(id, pass, 30))] += 1;
    }
    assert.ok(Math.max(...counts) < 300, `largest slice ${Math.max(...counts)}`);
  });

  it('gives an id the same slice in every round', () => {
    const id = randomUUID();
    const first = Array.from({ length: 30 }, (_, pass) => inRefreshSlice(id, pass, 30)).indexOf(true);
    assert.equal(inRefreshSlice(id, first + 30, 30), true);
    assert.equal(inRefreshSlice(id, first + 90, 30), true);
  });
});
