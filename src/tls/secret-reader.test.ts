import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { secretIdOfRef } from './secret-reader.ts';

describe('secretIdOfRef', () => {
  const id = '6b0f7e52-8f0a-4f57-9a55-2f3b8c1d0e11';
  it('reads the UUID at the end of a secret or container URL, with or without a trailing slash', () => {
    assert.equal(secretIdOfRef(`http://127.0.0.1:9311/v1/secrets/${id}`), id);
    assert.equal(secretIdOfRef(`https://kms.example.test/key-manager/v1/containers/${id}/`), id);
  });
  it('takes a bare UUID, in any case', () => {
    assert.equal(secretIdOfRef(id.toUpperCase()), id);
  });
  it('finds nothing in a ref that does not end in a UUID', () => {
    assert.equal(secretIdOfRef('cert-1'), undefined);
    assert.equal(secretIdOfRef(`http://127.0.0.1:9311/v1/secrets/${id}/payload`), undefined);
    assert.equal(secretIdOfRef(''), undefined);
  });
});
