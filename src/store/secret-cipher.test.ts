// AES-256-GCM sealing of secret payloads: round trips of binary bytes, a fresh nonce each time, and a clear
// error (not garbage) for the wrong key, another secret's id or a tampered ciphertext.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { createSecretCipher, SecretKeyMismatchError } from './secret-cipher.ts';

const ID = '0b7c9f5e-3d2a-4c1b-9e8f-7a6b5c4d3e2f';

describe('secret cipher', () => {
  it('opens what it sealed, byte for byte, including NUL and high bytes', () => {
    const cipher = createSecretCipher(randomBytes(32));
    const payload = Buffer.from([0, 1, 2, 0x7f, 0x80, 0xfe, 0xff, 0]);
    assert.deepEqual(cipher.open(ID, cipher.seal(ID, payload)), payload);
  });

  it('uses a fresh 12-byte nonce for every payload, so equal payloads seal differently', () => {
    const cipher = createSecretCipher(randomBytes(32));
    const a = cipher.seal(ID, Buffer.from('same'));
    const b = cipher.seal(ID, Buffer.from('same'));
    assert.equal(Buffer.from(a.nonce, 'base64').length, 12);
    assert.notEqual(a.nonce, b.nonce);
    assert.notEqual(a.ciphertext, b.ciphertext);
  });

  it('refuses to open with another key, with a message naming the cause', () => {
    const sealed = createSecretCipher(randomBytes(32)).seal(ID, Buffer.from('payload'));
    assert.throws(
      () => createSecretCipher(randomBytes(32)).open(ID, sealed),
      (error: Error) =>
        error instanceof SecretKeyMismatchError &&
        /not the key the payloads were stored with/.test(error.message),
    );
  });

  it("binds the ciphertext to the secret's id and detects tampering", () => {
    const cipher = createSecretCipher(randomBytes(32));
    const sealed = cipher.seal(ID, Buffer.from('payload'));
    assert.throws(() => cipher.open('another-id', sealed), SecretKeyMismatchError);
    const bytes = Buffer.from(sealed.ciphertext, 'base64');
    bytes[0] ^= 1;
    assert.throws(
      () => cipher.open(ID, { ...sealed, ciphertext: bytes.toString('base64') }),
      SecretKeyMismatchError,
    );
  });

  it('accepts only 32-byte keys', () => {
    assert.throws(() => createSecretCipher(randomBytes(16)), /must be 32 bytes, not 16/);
  });
});
