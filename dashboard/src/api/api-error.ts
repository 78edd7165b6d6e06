// The error of a failed API call: its HTTP status and the API's own words, read from whichever fault body the
// family answers (Octavia `faultstring`, Neutron `NeutronError.message`, Keystone `error.message`, Barbican
// `description`).

export class ApiError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

type FaultBody = {
  faultstring?: string;
  description?: string;
  NeutronError?: { message?: string };
  error?: { message?: string };
};

/** The message an API put in a fault body, else the HTTP status line. */
export function faultMessage(status: number, statusText: string, body: unknown): string {
  const fault = (body ?? {}) as FaultBody;
  const message =
    fault.faultstring ?? fault.NeutronError?.message ?? fault.error?.message ?? fault.description;
  return message ?? `${status} ${statusText}`;
}
