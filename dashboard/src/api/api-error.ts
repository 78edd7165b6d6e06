// The error of a failed API call: its HTTP status and the API's own words, read from whichever fault body the
// family answers (Octavia `faultstring`, Neutron `NeutronError.message`, Keystone `error.message`).

export class ApiError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

type FaultBody = {
  faultstring?: string;
  NeutronError?: { message?: string };
  error?: { message?: string };
};

/** The message an API put in a fault body, else the HTTP status line. */
export function faultMessage(status: number, statusText: string, body: unknown): string {
  const fault = (body ?? {}) as FaultBody;
  return (
    fault.faultstring ?? fault.NeutronError?.message ?? fault.error?.message ?? `${status} ${statusText}`
  );
}
