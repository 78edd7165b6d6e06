import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bindClaims, newBindClaims } from './bind-claims.ts';

const config = (binds: string[]) =>
  ['global', '    daemon', 'frontend f1', ...binds.map((b) => `    bind ${b}`), '    mode http', ''].join(
    '\n',
  );

describe('bind claims', () => {
  it('reads the address and port of every bind line, IPv6 without its ipv6@ prefix, TLS options ignored', () => {
    const text = config(['127.0.0.5:80', 'ipv6@fd00::5:443 ssl crt-list /x/crt-list verify none']);
    assert.deepEqual(bindClaims(text), [
      { address: '127.0.0.5', port: 80 },
      { address: 'fd00::5', port: 443 },
    ]);
  });

  it('names only the binds the running configuration does not hold already', () => {
    const before = config(['127.0.0.5:80']);
    const after = config(['127.0.0.5:80', '127.0.0.5:8080']);
    assert.deepEqual(newBindClaims(before, after), [{ address: '127.0.0.5', port: 8080 }]);
    assert.deepEqual(newBindClaims(undefined, after).length, 2);
  });
});
