// The one error the sluice CLI reports: a one-line message printed to stderr and exit status 1 (bad usage,
// missing credentials, an unreachable endpoint, or an API fault carrying the API's own message).
export class CliError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 1) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}
