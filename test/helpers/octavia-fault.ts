// Asserts an Octavia fault: the status code and the exact faultstring, as clients and test suites compare them
// (expectFault on a pending response, assertFault on one already read).
import assert from 'node:assert/strict';

export async function expectFault(
  response: Promise<{ statusCode: number; json(): { faultstring: string } }>,
  code: number,
  text: string,
): Promise<void> {
  const r = await response;
  assert.deepEqual([r.statusCode, r.json().faultstring], [code, text]);
}

export type FaultReply = Readonly<{ statusCode: number; body: string; json(): { faultstring?: string } }>;

export function assertFault(response: FaultReply, status: number, faultstring: string): void {
  assert.equal(response.statusCode, status, response.body);
  assert.equal(response.json().faultstring, faultstring);
}
