// Tenant L7 regexes: always on V8's linear engine, Python syntax read with Python's meaning, HAProxy's `-i`
// as ASCII folding, and what the linear engine cannot run named for the 501.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { compileL7Regex, l7RegexProblem } from './l7-regex.ts';

function regex(value: string, caseless = false): RegExp {
  const compiled = compileL7Regex(value, caseless);
  assert.ok('regex' in compiled, `${value}: ${'unsupported' in compiled ? compiled.unsupported : ''}`);
  return compiled.regex;
}

describe('L7 regex compilation', () => {
  it('compiles every tenant regex for the linear-time engine (flag l)', () => {
    for (const [value, caseless] of [
      ['^/(a+)+$', false],
      ['^api\\.', true],
      ['(?i)x', false],
      ['(?s)a.b', false],
    ] as const) {
      assert.ok(regex(value, caseless).flags.includes('l'), value);
    }
  });

  it('answers the catastrophic-backtracking pattern of the issue on a 100 kB path (it never returns without l)', () => {
    const pattern = regex('^/(a+)+$');
    assert.equal(pattern.test(`/${'a'.repeat(31)}!`), false);
    assert.equal(pattern.test(`/${'a'.repeat(100_000)}!`), false);
    assert.equal(pattern.test(`/${'a'.repeat(100_000)}`), true);
  });

  it('is the only module of the native data plane that builds a RegExp from text', () => {
    const native = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
    const builders = readdirSync(native, { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
      .filter((file) => /\bRegExp\s*\(/.test(readFileSync(path.join(native, file), 'utf8')));
    assert.deepEqual(builders, [path.join('l7', 'l7-regex.ts')]);
  });

  it('reads Python syntax with its Python meaning where JavaScript reads it otherwise', () => {
    const cases: [string, string, boolean][] = [
      ['\\Aabc\\Z', 'abc', true],
      ['\\Aabc\\Z', 'Aabc', false], // JavaScript alone reads \A as the letter A
      ['^[]a]+$', ']a]', true], // a `]` first in a Python set is a member; JavaScript's [] is empty
      ['^a{,3}$', 'aaa', true], // Python's {,n} is {0,n}; JavaScript reads it as text
      ['^a{,3}$', 'a{,3}', false],
      ['^x{}$', 'x{}', true],
      ['^(?P<v>v[0-9])/', 'v1/', true],
      ['^a(?#a comment)b$', 'ab', true],
      ['^\\a$', '\x07', true], // Python's bell; JavaScript reads \a as the letter a
      ['^\\a$', 'a', false],
      ['^[\\a]$', '\x07', true],
      ['^\\101$', 'A', true], // octal
      ['^[a-]+$', '-a-', true],
      ['^a*?b+?$', 'aab', true],
    ];
    for (const [value, sample, expected] of cases) {
      assert.equal(regex(value).test(sample), expected, `${value} on ${JSON.stringify(sample)}`);
    }
  });

  it('folds ASCII letters when case-insensitive, and leaves \\D \\W \\S meaning what they mean', () => {
    const host = regex('^API\\.[a-c]\\D\\x41[^x-z]$', true);
    assert.equal(host.test('api.B-ay'), false);
    assert.equal(host.test('Api.b-aQ'), true);
    assert.equal(host.test('api.b1aQ'), false, '\\D must not become \\d');
    assert.equal(regex('(?i)^[A-C]+$').test('abcABC'), true);
    assert.equal(regex('^[^a]$', true).test('A'), false, 'a negated set excludes both cases, as in PCRE');
    assert.equal(regex('^abc$').test('ABC'), false, 'case-sensitive unless asked');
  });

  it('names what the linear engine cannot run instead of compiling something else', () => {
    const cases: [string, string][] = [
      ['^(a)\\1$', "L7 rule regex '^(a)\\1$' (backreferences)"],
      ['^(?P<x>a)(?P=x)$', "L7 rule regex '^(?P<x>a)(?P=x)$' (backreferences)"],
      ['^a++$', "L7 rule regex '^a++$' (possessive repeats)"],
      ['^(?>a+)$', "L7 rule regex '^(?>a+)$' (atomic groups)"],
      ['(?x) a', "L7 rule regex '(?x) a' (verbose mode (?x))"],
      ['^(?i:a)$', "L7 rule regex '^(?i:a)$' (scoped inline flags)"],
      [
        '^/(?=api)',
        "L7 rule regex '^/(?=api)' (not runnable in linear time: lookahead, backreferences or large repeat counts)",
      ],
      [
        '^a{100}$',
        "L7 rule regex '^a{100}$' (not runnable in linear time: lookahead, backreferences or large repeat counts)",
      ],
    ];
    for (const [value, problem] of cases) assert.equal(l7RegexProblem(value, false), problem, value);
    assert.equal(l7RegexProblem('^/api/v[0-9]{1,3}/', true), undefined);
  });
});
