import { BentoValidationError } from "../api/errors.js";

/** A management request the sync service refuses: 404 (unknown id) or 422 (invalid input). */
export class SyncServiceError extends Error {
  override readonly name = "SyncServiceError";
  constructor(
    readonly status: 404 | 422,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly allowed?: string,
  ) {
    super(message);
  }

  /** The JSON error body the dev server sends. */
  toBody(): { error: { code: string; message: string; field?: string; allowed?: string } } {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.field ? { field: this.field } : {}),
        ...(this.allowed ? { allowed: this.allowed } : {}),
      },
    };
  }
}

/** Run a validator; its {@link BentoValidationError} becomes a 422 naming the field and allowed values. */
export function validated<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof BentoValidationError) throw new SyncServiceError(422, err.code, err.message, err.field, err.allowed);
    throw err;
  }
}

export const notFound = (what: string, id: string) => new SyncServiceError(404, "not_found", `No ${what} with id ${JSON.stringify(id)}`);
