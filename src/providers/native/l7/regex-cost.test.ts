// NFA positions of compiled L7 regexes: the bound on one request's regex work per sample character.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { compileL7Regex } from './l7-regex.ts';
import { regexPositions } from './regex-cost.ts';

const positions = (value: string, caseless = false) => {
  const compiled = compileL7Regex(value, caseless);
  assert.ok('regex' in compiled, value);
  return regexPositions(compiled.regex.source);
};

it('counts one position per character or set, adds alternatives, and unrolls counted repeats', () => {
  assert.equal(positions('^/(a+)+$'), 2);
  assert.equal(positions('^/api/v[0-9]+$'), 7);
  assert.equal(positions('^(get|post)$'), 7);
  assert.equal(positions('^api\\.', true), 4, 'a folded letter is one set');
  assert.equal(positions('[0-9a-f]{8}-[0-9a-f]{4}'), 13);
  assert.equal(positions('((ab){3}){4}'), 24);
  assert.equal(positions('(?:a|bc){2}\\bx'), 7);
});
