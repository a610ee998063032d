/** Exit codes of the `bentolabs` command. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/**
 * A mistake in how the command was called (unknown flag, missing argument, no workspace…),
 * detected before any request. The dispatcher prints it and exits with code 2.
 */
export class UsageError extends Error {
  override readonly name = "UsageError";
  /** Help text to print after the message, if any. */
  readonly usage: string | undefined;

  constructor(message: string, usage?: string) {
    super(message);
    this.usage = usage;
  }
}
