// Asserts an Octavia fault: the status code and the exact faultstring, as clients and test suites compare them.
import assert from 'node:assert/strict';

export async function expectFault(
  response: Promise<{ statusCode: number; json(): { faultstring: string } }>,
  code: number,
  text: string,
): Promise<void> {
  const r = await response;
  assert.deepEqual([r.statusCode, r.json().faultstring], [code, text]);
}
