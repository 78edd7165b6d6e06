// What the native provider refuses up front (the API's 501): L7 regexes it cannot run in linear time, and a
// listener whose regexes together could cost one request more than the budget.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import * as build from '../desired-test-builders.ts';
import { MAX_LISTENER_REGEX_POSITIONS, unsupportedOptions } from './unsupported-options.ts';

function withRegexes(values: string[], type = 'PATH', adminStateUp = true) {
  const rules = values.map((value, i) =>
    build.rule(`r${i}`, { type, compareType: 'REGEX', value, adminStateUp }),
  );
  const policies = rules.map((rule, i) =>
    build.policy(`p${i}`, [rule], { action: 'REJECT', position: i + 1 }),
  );
  return build.loadBalancer('lb1', '127.0.20.11', [build.listener('l1', 80, { l7policies: policies })], []);
}

it('serves linear-time regexes within the listener budget', () => {
  assert.deepEqual(unsupportedOptions(withRegexes(['^/(a+)+$', '^/api/v[0-9]{1,3}/', '^(a*)*b$'])), []);
  assert.deepEqual(unsupportedOptions(withRegexes(['^API\\.'], 'HOST_NAME')), []);
});

it('names each regex the linear engine cannot run, even in a disabled rule', () => {
  assert.deepEqual(unsupportedOptions(withRegexes(['^(a)\\1$', '^/(?=x)'], 'PATH', false)), [
    "L7 rule regex '^(a)\\1$' (backreferences)",
    "L7 rule regex '^/(?=x)' (not runnable in linear time: lookahead, backreferences or large repeat counts)",
  ]);
});

it('refuses a listener whose regexes together exceed the per-request budget', () => {
  const heavy = '(.*a){16}'; // 32 positions
  const count = Math.floor(MAX_LISTENER_REGEX_POSITIONS / 32);
  assert.deepEqual(unsupportedOptions(withRegexes(Array(count).fill(heavy))), []);
  assert.deepEqual(unsupportedOptions(withRegexes(Array(count + 1).fill(heavy))), [
    `L7 rule regexes of listener l1 (${(count + 1) * 32} NFA positions, at most ${MAX_LISTENER_REGEX_POSITIONS})`,
  ]);
});
