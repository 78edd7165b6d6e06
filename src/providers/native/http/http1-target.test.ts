// Request-targets (RFC 9112 §3.2): the authority of absolute-form targets, which ones are usable, and paths.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { authorityUsable, targetAuthority, targetPath } from './http1-target.ts';

describe('HTTP/1.1 request-targets', () => {
  it('finds the authority of an absolute-form target, with its port, before any path, query or fragment', () => {
    assert.equal(targetAuthority('http://b.example/x'), 'b.example');
    assert.equal(targetAuthority('https://b.example:8443?q=1'), 'b.example:8443');
    assert.equal(targetAuthority('HTTP://[::1]:8080/'), '[::1]:8080');
    assert.equal(targetAuthority('http://u@b.example/'), 'u@b.example');
    assert.equal(targetAuthority('http:///x'), '');
  });

  it('sees no authority in origin-, authority- and asterisk-form targets', () => {
    for (const target of ['/x', '/http://b.example/', 'b.example:443', '*', 'urn:x']) {
      assert.equal(targetAuthority(target), undefined, target);
    }
  });

  it('accepts a non-empty authority without userinfo (RFC 9110 §4.2.1, §4.2.4)', () => {
    assert.equal(authorityUsable('b.example:80'), true);
    assert.equal(authorityUsable(''), false);
    assert.equal(authorityUsable('user:pass@b.example'), false);
  });

  it('gives L7 rules the path of an absolute-form target, and an origin-form target as it is', () => {
    assert.equal(targetPath('http://b.example/a/b'), '/a/b');
    assert.equal(targetPath('http://b.example'), '/');
    assert.equal(targetPath('/a/b'), '/a/b');
  });
});
