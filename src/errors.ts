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

/** A file in the store folder could not be written; the message says why and what to do (storeProblem). */
export class StoreWriteError extends UnavailableError {}

/**
 * A change refused because the store could not save it, in the one wording every write path uses
 * (`Job a1 was not registered: it could not be saved, the disk holding … is full …`): `what` says
 * what was not done. Any other error is given back as it is.
 */
export function notSaved(what: string, error: unknown): unknown {
  return error instanceof StoreWriteError ? new UnavailableError(`${what}: it could not be saved, ${error.message}.`) : error;
}

/** The text of any thrown value, for messages that wrap an underlying failure. */
export function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code && !error.message.includes(code) ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}
