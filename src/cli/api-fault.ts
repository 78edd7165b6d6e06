// Turns a failed HTTP answer into the one line the CLI prints: the API's own message, whichever family's
// body shape carries it (Octavia/WSME faultstring, Keystone error.message, Neutron NeutronError.message).
export function faultMessage(status: number, body: string): string {
  let message: string | undefined;
  try {
    const parsed = JSON.parse(body) as {
      faultstring?: string;
      error?: { message?: string };
      NeutronError?: { message?: string };
      message?: string;
    };
    message = parsed.faultstring ?? parsed.error?.message ?? parsed.NeutronError?.message ?? parsed.message;
  } catch {
    message = body.trim().split('\n')[0] || undefined;
  }
  return `${message ?? 'no message'} (HTTP ${status})`;
}
