// Barbican's secret store as the dashboard uses it for certificates: list the project's secrets, store a
// PKCS#12 bundle (base64, as the Octavia TLS cookbook does) or a PEM text, delete one.
// https://docs.openstack.org/barbican/latest/api/reference/secrets.html
import { json, request } from './api-client.ts';

export type Secret = {
  secret_ref: string;
  name: string | null;
  secret_type: string;
  created: string;
  status: string;
};

const SECRETS = '/key-manager/v1/secrets';

export async function listSecrets(token: string): Promise<Secret[]> {
  return (await json<{ secrets: Secret[] }>(`${SECRETS}?limit=100`, { token })).secrets;
}

/** Stores `bytes` under `name`: PEM text as it is, anything else (PKCS#12) base64-encoded; its reference. */
export async function storeCertificate(token: string, name: string, bytes: Uint8Array): Promise<string> {
  const text = new TextDecoder().decode(bytes);
  const pem = text.startsWith('-----BEGIN');
  const body = pem
    ? { name, payload: text, payload_content_type: 'text/plain', secret_type: 'certificate' }
    : {
        name,
        payload: btoa(Array.from(bytes, (b) => String.fromCharCode(b)).join('')),
        payload_content_type: 'application/octet-stream',
        payload_content_encoding: 'base64',
        secret_type: 'opaque',
      };
  return (await json<{ secret_ref: string }>(SECRETS, { token, method: 'POST', body })).secret_ref;
}

/** Deletes the secret a reference names (references are absolute URLs of this API). */
export async function deleteSecret(token: string, ref: string): Promise<void> {
  await request(new URL(ref).pathname, { token, method: 'DELETE' });
}
