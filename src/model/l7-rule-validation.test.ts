import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { l7RuleProblem, pythonRegexError } from './l7-rule-validation.ts';

const rule = (type: string, compareType: string, value: string | null, key: string | null = null) =>
  l7RuleProblem({ type, compareType, key, value });

describe('L7 rule validation (reference §8.2, validate.l7rule_data)', () => {
  it('accepts HOST_NAME and PATH rules with every compare type, ignoring the key', () => {
    for (const type of ['HOST_NAME', 'PATH']) {
      for (const compare of ['STARTS_WITH', 'ENDS_WITH', 'CONTAINS', 'EQUAL_TO', 'REGEX']) {
        assert.equal(rule(type, compare, 'www.example.com', 'ignored'), undefined, `${type} ${compare}`);
      }
    }
  });

  it('accepts a quoted header value with spaces and refuses an unquoted one', () => {
    assert.equal(rule('PATH', 'EQUAL_TO', '"/a b"'), undefined);
    assert.equal(rule('PATH', 'EQUAL_TO', '/a b'), 'Invalid characters in comparison value');
  });

  it('allows FILE_TYPE rules only with REGEX or EQUAL_TO', () => {
    assert.equal(rule('FILE_TYPE', 'EQUAL_TO', 'jpg'), undefined);
    assert.equal(rule('FILE_TYPE', 'REGEX', '^(jpg|png)$'), undefined);
    assert.equal(
      rule('FILE_TYPE', 'CONTAINS', 'jp'),
      'Invalid L7 Rule: invalid comparison type for rule type',
    );
  });

  it('requires a HEADER rule to have a key in the header-name token charset', () => {
    assert.equal(rule('HEADER', 'EQUAL_TO', 'v'), 'Invalid L7 Rule: L7 rule type requires a key');
    assert.equal(rule('HEADER', 'EQUAL_TO', 'v', 'X:Y'), 'Invalid characters in key');
    assert.equal(rule('HEADER', 'CONTAINS', 'v', "X-Env.1!#$%&'*+-^_`|~"), undefined);
  });

  it('checks a HEADER value against the header-value charset', () => {
    assert.equal(rule('HEADER', 'EQUAL_TO', 'a\tb', 'X'), 'Invalid characters in header value');
    assert.equal(rule('HEADER', 'EQUAL_TO', 'a"b\\c', 'X'), undefined);
  });

  it('requires a COOKIE rule to have a key and a cookie-value charset value', () => {
    assert.equal(rule('COOKIE', 'EQUAL_TO', 'v'), 'Invalid L7 Rule: L7 rule type requires a key');
    assert.equal(rule('COOKIE', 'EQUAL_TO', 'a;b', 'sid'), 'Invalid characters in cookie value');
    assert.equal(rule('COOKIE', 'EQUAL_TO', 'a"b', 'sid'), 'Invalid characters in cookie value');
    assert.equal(rule('COOKIE', 'STARTS_WITH', 'abc-123.x', 'sid'), undefined);
  });

  it('accepts SSL_CONN_HAS_CERT only as EQUAL_TO true without a key', () => {
    assert.equal(rule('SSL_CONN_HAS_CERT', 'EQUAL_TO', 'TRUE'), undefined);
    assert.equal(
      rule('SSL_CONN_HAS_CERT', 'EQUAL_TO', 'true', 'k'),
      'Invalid L7 Rule: L7rule type SSL_CONN_HAS_CERT does not use the "key" field.',
    );
    assert.equal(
      rule('SSL_CONN_HAS_CERT', 'EQUAL_TO', 'yes'),
      'Invalid L7 Rule: L7rule value yes is not a boolean True string.',
    );
    assert.equal(
      rule('SSL_CONN_HAS_CERT', 'CONTAINS', 'true'),
      'Invalid L7 Rule: L7rule type SSL_CONN_HAS_CERT only supports the EQUAL_TO compare type.',
    );
  });

  it('accepts SSL_VERIFY_RESULT only as EQUAL_TO a non-negative integer without a key', () => {
    assert.equal(rule('SSL_VERIFY_RESULT', 'EQUAL_TO', '0'), undefined);
    assert.equal(
      rule('SSL_VERIFY_RESULT', 'EQUAL_TO', '-1'),
      'Invalid L7 Rule: L7rule type SSL_VERIFY_RESULT needs a int value, which is >= 0',
    );
    assert.equal(
      rule('SSL_VERIFY_RESULT', 'EQUAL_TO', '1', 'k'),
      'Invalid L7 Rule: L7rule type SSL_VERIFY_RESULT does not use the "key" field.',
    );
    assert.equal(
      rule('SSL_VERIFY_RESULT', 'REGEX', '1'),
      'Invalid L7 Rule: L7rule type SSL_VERIFY_RESULT only supports the EQUAL_TO compare type.',
    );
  });

  it('requires an SSL_DN_FIELD rule to have a distinguished-name field key and a value', () => {
    assert.equal(rule('SSL_DN_FIELD', 'EQUAL_TO', 'example', 'CN'), undefined);
    assert.equal(
      rule('SSL_DN_FIELD', 'EQUAL_TO', 'example'),
      'Invalid L7 Rule: L7rule type SSL_DN_FIELD needs to specify a key and a value.',
    );
    assert.equal(
      rule('SSL_DN_FIELD', 'EQUAL_TO', 'example', '1CN'),
      'Invalid L7 Rule: Invalid L7rule distinguished name field.',
    );
    assert.equal(
      rule('SSL_DN_FIELD', 'REGEX', '(', 'CN'),
      'Unable to parse regular expression: missing ), unterminated subpattern at position 0',
    );
  });

  it('refuses a regex with control characters', () => {
    assert.equal(
      rule('PATH', 'REGEX', 'a\u0001b'),
      'Unable to parse regular expression: control characters are not allowed',
    );
  });

  it("answers Python's own errors when an update nulls the value", () => {
    assert.equal(rule('PATH', 'EQUAL_TO', null), "expected string or bytes-like object, got 'NoneType'");
    assert.equal(rule('SSL_CONN_HAS_CERT', 'EQUAL_TO', null), "'NoneType' object has no attribute 'lower'");
  });

  it('refuses an unknown rule type', () => {
    assert.equal(rule('METHOD', 'EQUAL_TO', 'GET'), 'Invalid L7 Rule: invalid rule type');
  });

  it("reports regex errors with Python 3.11's wording and position", () => {
    const cases: [string, string | undefined][] = [
      ['^/api/v[0-9]+/.*$', undefined],
      ['(?P<v>a)(?P=v)+(?:b|c)*?', undefined],
      ['(?i)host', undefined],
      ['[]a]', undefined],
      ['a*+', undefined],
      ['(', 'missing ), unterminated subpattern at position 0'],
      ['a)', 'unbalanced parenthesis at position 1'],
      ['[a', 'unterminated character set at position 0'],
      ['*a', 'nothing to repeat at position 0'],
      ['a**', 'multiple repeat at position 2'],
      ['\\q', 'bad escape \\q at position 0'],
      ['a\\', 'bad escape (end of pattern) at position 1'],
      ['[z-a]', 'bad character range z-a at position 1'],
      ['a{3,2}', 'min repeat greater than max repeat at position 2'],
      ['(?<x>a)', 'unknown extension ?<x at position 1'],
      ['a(?i)', 'global flags not at the start of the expression at position 1'],
      ['\\x4', 'incomplete escape \\x4 at position 0'],
    ];
    for (const [pattern, error] of cases) assert.equal(pythonRegexError(pattern), error, pattern);
  });
});
