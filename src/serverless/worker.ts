import { log } from "../log.js";
import { provideEnv } from "../platform/env.js";
import { initFromEnvironment } from "../runtime.js";
import { flushUntilIdle, runWithWaitUntil, type WaitUntil } from "./wait-until.js";

/** The part of a Worker's `ExecutionContext` Bento uses. */
export interface WorkerContext {
  waitUntil(promise: Promise<unknown>): void;
}

type Handler = (input: unknown, env: unknown, ctx: WorkerContext) => unknown;
const HANDLERS = ["fetch", "scheduled", "queue", "email", "tail", "trace"] as const;

/**
 * Bind span delivery to a Cloudflare Worker's lifetime: each handler (`fetch`, `scheduled`,
 * `queue`, …) reads its settings from the Worker's `env` (`BENTOLABS_API_KEY`, …), and hands
 * `ctx.waitUntil` a flush when a trajectory ends and again once the handler has returned, so the
 * response is never delayed and no span is lost when the isolate goes idle.
 *
 * @example
 * export default bento.withWorker({
 *   async fetch(request, env, ctx) {
 *     return bento.begin({ event: "chat" }, async () => new Response(await agent(request)));
 *   },
 * });
 */
export function withWorker<H extends object>(handler: H): H {
  if (!handler || typeof handler !== "object") {
    throw new TypeError(
      "withWorker(handler) expects your Worker's exported object, e.g. withWorker({ async fetch(request, env, ctx) { … } }).",
    );
  }
  const wrapped = { ...handler } as Record<string, unknown>;
  for (const name of HANDLERS) {
    const original = (handler as Record<string, unknown>)[name];
    if (typeof original !== "function") continue;
    wrapped[name] = function (this: unknown, input: unknown, env: unknown, ctx: WorkerContext) {
      return invoke(original as Handler, this, input, env, ctx);
    };
  }
  return wrapped as H;
}

function invoke(handler: Handler, self: unknown, input: unknown, env: unknown, ctx: WorkerContext): unknown {
  const waitUntil = bindWaitUntil(ctx);
  if (!waitUntil) return handler.call(self, input, env, ctx);
  try {
    provideEnv(env);
    initFromEnvironment();
  } catch (err) {
    log.warnOnce("worker_env", `Could not read Bento settings from the Worker env: ${String(err)}`);
  }
  let result: unknown;
  try {
    result = runWithWaitUntil(waitUntil, () => handler.call(self, input, env, ctx));
  } catch (err) {
    waitUntil(flushUntilIdle());
    throw err;
  }
  // Registered now, while the request is surely alive; it flushes once the handler settles (not
  // before: it may still be making spans). The response itself is not held back.
  const flushAfter = () => flushUntilIdle();
  waitUntil(Promise.resolve(result).then(flushAfter, flushAfter));
  return result;
}

function bindWaitUntil(ctx: WorkerContext | undefined): WaitUntil | undefined {
  if (!ctx || typeof ctx.waitUntil !== "function") {
    log.warnOnce("worker_ctx", "withWorker: the handler got no ctx.waitUntil; spans are delivered on the next flush only.");
    return undefined;
  }
  return (p) => {
    try {
      ctx.waitUntil(p);
    } catch (err) {
      log.warnOnce("worker_wait_until", `ctx.waitUntil failed: ${String(err)}`);
    }
  };
}
