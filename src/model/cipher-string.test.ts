import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cipherStringProblem } from './cipher-string.ts';

const REFUSAL =
  'Invalid characters in cipher string. Only alphanumeric, -, +, !, :, @, =, _, and . are allowed.';

describe('cipherStringProblem', () => {
  it('accepts OpenSSL cipher strings and leaves null, absent and empty values alone', () => {
    for (const ok of [
      'ECDHE-RSA-AES128-GCM-SHA256:!aNULL:+SHA:@STRENGTH',
      'DEFAULT:-kRSA',
      'a=b_c.d',
      null,
      undefined,
      '',
    ]) {
      assert.equal(cipherStringProblem(ok), undefined, String(ok));
    }
  });

  it('refuses spaces, newlines, quotes and other characters HAProxy would read as syntax', () => {
    for (const bad of ['A B', 'AES\n  bind :1', 'AES#x', "AES'", 'AES\t', 'AES\n']) {
      assert.equal(cipherStringProblem(bad), REFUSAL, JSON.stringify(bad));
    }
  });
});
