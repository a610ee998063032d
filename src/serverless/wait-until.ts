import type { FlushResult } from "../export/types.js";
import { log } from "../log.js";
import { hostEnv } from "../platform/env.js";
import { platform } from "../platform/host.js";
import { flush, stats } from "../runtime.js";

/** A platform's "keep this invocation alive until the promise settles" hook. */
export type WaitUntil = (promise: Promise<unknown>) => void;

// The request context Vercel's runtimes (Node functions, Edge, Next.js) publish; it is what
// `@vercel/functions`' own `waitUntil()` reads, so Bento needs no import of that package (an
// import of an absent optional package breaks Next.js and wrangler bundles).
const VERCEL_REQUEST_CONTEXT = Symbol.for("@vercel/request-context");

const requestHook = platform.createStorage<WaitUntil>();
let vercelEnabled: boolean | undefined;

/** Run `fn` with `waitUntil` as this request's hook (Workers' `ctx.waitUntil`). */
export function runWithWaitUntil<T>(waitUntil: WaitUntil, fn: () => T): T {
  return requestHook.run(waitUntil, fn);
}

/** `init({ vercelWaitUntil })`; unset means `BENTOLABS_VERCEL_WAIT_UNTIL` (default on). */
export function configureVercelWaitUntil(enabled: boolean | undefined): void {
  vercelEnabled = enabled;
}

function vercelOn(): boolean {
  if (vercelEnabled !== undefined) return vercelEnabled;
  return !/^(false|0|off|no)$/i.test(hostEnv().BENTOLABS_VERCEL_WAIT_UNTIL ?? "");
}

/** The current request's waitUntil: one bound by `withWorker`, else Vercel's, else none. */
export function currentWaitUntil(): WaitUntil | undefined {
  const own = requestHook.getStore();
  if (own) return own;
  // The symbol first: off Vercel a root span's end costs one global lookup, no env read.
  const holder = (globalThis as Record<symbol, { get?: () => { waitUntil?: unknown } | undefined } | undefined>)[VERCEL_REQUEST_CONTEXT];
  if (!holder || !vercelOn()) return undefined;
  try {
    const ctx = holder.get?.();
    const wu = ctx?.waitUntil;
    return typeof wu === "function" ? (p) => void (wu as WaitUntil).call(ctx, p) : undefined;
  } catch {
    return undefined;
  }
}

/** Workers allow 30 s of waitUntil after the response; stay well inside it. */
const SETTLE_BUDGET_MS = 25_000;

/**
 * Flush until nothing is queued or in flight, within `budgetMs`. A plain flush resolves once the
 * spans queued at its call are settled, possibly while the next batch is already in flight; on
 * Workers that batch's fetch belongs to the request that started it and never settles once that
 * request has ended. So a request's waitUntil lasts until the pipeline is idle.
 */
export async function flushUntilIdle(budgetMs = SETTLE_BUDGET_MS): Promise<FlushResult> {
  const end = Date.now() + budgetMs;
  let result = await flush({ timeoutMs: budgetMs });
  while (result.ok && stats().queued > 0 && Date.now() < end) result = await flush({ timeoutMs: end - Date.now() });
  return { ok: result.ok && stats().queued === 0, pending: stats().queued };
}

let batched: Promise<unknown> | undefined;

/**
 * A root span ended: when the request has a waitUntil, hand it a flush, so the platform keeps the
 * invocation alive until the spans are delivered. Root spans ending in the same tick share one flush.
 */
export function handOffToWaitUntil(): void {
  const waitUntil = currentWaitUntil();
  if (!waitUntil) return;
  batched ??= Promise.resolve().then(() => {
    batched = undefined;
    return flushUntilIdle();
  });
  try {
    waitUntil(batched);
  } catch (err) {
    log.warnOnce("wait_until", `Could not hand the span flush to waitUntil: ${String(err)}`);
  }
}
