import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseExpectedCodes } from './expected-codes.ts';

test('a list of expected codes accepts exactly the listed codes, spaces allowed around commas', () => {
  assert.deepEqual([...parseExpectedCodes('200, 202 ,204')], [200, 202, 204]);
});

test('a range of expected codes accepts every code between its bounds inclusive', () => {
  assert.deepEqual([...parseExpectedCodes('200-204')], [200, 201, 202, 203, 204]);
});

test('no expected codes means Octavia default 200', () => {
  assert.deepEqual([...parseExpectedCodes(null)], [200]);
});
