/**
 * An error a user can act on: its message is one line that says what happened and what to do.
 * The CLI prints it as is (no stack trace) and exits with `exitCode`.
 */
export class HookCatchError extends Error {
  readonly exitCode: number;

  constructor(message: string, exitCode = 1) {
    super(message);
    this.name = 'HookCatchError';
    this.exitCode = exitCode;
  }
}

/** Something could not be done now (the store cannot be written): the API answers it with 503. */
export class UnavailableError extends HookCatchError {}

/** The text of any thrown value, for messages that wrap an underlying failure. */
export function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code && !error.message.includes(code) ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}
