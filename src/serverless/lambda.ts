import { log } from "../log.js";
import { flush } from "../runtime.js";
import { begin, type Interaction } from "../spans/interaction.js";

/** The part of AWS Lambda's `context` Bento reads. */
export interface LambdaContextLike {
  functionName?: string;
  getRemainingTimeInMillis?: () => number;
}

/** Options for {@link wrapHandler}. */
export interface WrapHandlerOptions {
  /** Open a trajectory around each invocation: true (default, named after `context.functionName`), a name, or false. */
  trajectory?: boolean | string;
  /** Upper bound of the flush once the handler settles, in ms. Default 2000. */
  flushTimeoutMs?: number;
  /**
   * The end of the invocation Bento never uses, in ms: flushes stop `reserveMs` before the
   * function's deadline (`context.getRemainingTimeInMillis()`). Default 500.
   */
  reserveMs?: number;
}

/** The invocation is about to hit the function's timeout; recorded on the trajectory. */
export class LambdaTimeoutError extends Error {
  override readonly name = "LambdaTimeoutError";
}

const FLUSH_TIMEOUT_MS = 2000;
const RESERVE_MS = 500;

/**
 * Wrap an AWS Lambda-style `async (event, context)` handler so its spans are delivered before
 * the handler's promise settles, on every return path: the result, the error and `this` are the
 * handler's own. The flush is bounded by `flushTimeoutMs` and by the invocation's remaining time
 * less `reserveMs`. If the handler is still running when only `flushTimeoutMs + reserveMs` are
 * left, the trajectory ends with a `LambdaTimeoutError` and is flushed while there is time; the
 * handler itself keeps running.
 *
 * @example
 * export const handler = bento.wrapHandler(async (event, context) => {
 *   const answer = await agent(event.question);
 *   return { statusCode: 200, body: answer };
 * });
 */
export function wrapHandler<E, C, R>(
  handler: (event: E, context: C) => R | Promise<R>,
  options: WrapHandlerOptions = {},
): (event: E, context: C) => Promise<Awaited<R>> {
  if (typeof handler !== "function") {
    throw new TypeError("wrapHandler(handler) expects your Lambda handler function: wrapHandler(async (event, context) => { … }).");
  }
  const flushMs = positive(options.flushTimeoutMs) ?? FLUSH_TIMEOUT_MS;
  const reserveMs = positive(options.reserveMs) ?? RESERVE_MS;
  return async function bentoHandler(this: unknown, event: E, context: C): Promise<Awaited<R>> {
    const remaining = remainingTime(context);
    const invoke = () => handler.call(this, event, context);
    const name = trajectoryName(options.trajectory, context);
    let trajectory: Interaction | undefined;
    let warning: ReturnType<typeof setTimeout> | undefined;
    let timedOutFlush: Promise<unknown> | undefined;
    const left = remaining();
    if (name !== undefined && left !== undefined) {
      warning = setTimeout(
        () => {
          trajectory?.finish({
            error: new LambdaTimeoutError(
              `The invocation is about to time out (${remaining()} ms left); Bento ended the trajectory to deliver it.`,
            ),
          });
          timedOutFlush = flush({ timeoutMs: budget(remaining(), flushMs, reserveMs) });
        },
        Math.max(0, left - flushMs - reserveMs),
      );
    }
    try {
      if (name === undefined) return await invoke();
      return await begin({ event: name }, (t) => {
        trajectory = t;
        return invoke();
      });
    } finally {
      clearTimeout(warning);
      await timedOutFlush;
      const result = await flush({ timeoutMs: budget(remaining(), flushMs, reserveMs) });
      if (!result.ok) log.debug(`wrapHandler: ${result.pending} span(s) not delivered before the flush bound.`);
    }
  };
}

function trajectoryName(option: boolean | string | undefined, context: unknown): string | undefined {
  if (option === false) return undefined;
  if (typeof option === "string" && option.length > 0) return option;
  const fn = (context as LambdaContextLike | undefined)?.functionName;
  return typeof fn === "string" && fn.length > 0 ? fn : "lambda";
}

/** Remaining time of the invocation, or undefined off Lambda (or when the getter misbehaves). */
function remainingTime(context: unknown): () => number | undefined {
  const get = (context as LambdaContextLike | undefined)?.getRemainingTimeInMillis;
  return () => {
    if (typeof get !== "function") return undefined;
    try {
      const ms = get.call(context);
      return Number.isFinite(ms) ? ms : undefined;
    } catch {
      return undefined;
    }
  };
}

function budget(left: number | undefined, flushMs: number, reserveMs: number): number {
  return left === undefined ? flushMs : Math.max(0, Math.min(flushMs, left - reserveMs));
}

function positive(n: number | undefined): number | undefined {
  return typeof n === "number" && Number.isFinite(n) && n >= 0 ? n : undefined;
}
