import type { Attributes } from "@opentelemetry/api";
import { writeProperties } from "../attributes/map.js";
import { currentFrame, currentNode, enclosingTrajectory, type IdentityScope, rootOf, runInFrame } from "../context.js";
import { coerceIdentityString, coerceTags } from "../identity.js";
import { log } from "../log.js";
import { innermostSpan } from "../otel/parent.js";
import { runtime } from "../runtime.js";

export interface TraceUpdate {
  userId?: string | null;
  sessionId?: string | null;
  tags?: readonly string[] | null;
  properties?: Record<string, unknown>;
}

/**
 * Patch the open trajectory's root span: identity and properties. A no-op outside a trajectory
 * (a bare tool span is not one). Explicit `userId` / `convoId` given to `begin` still win; `null`
 * clears a field. The identity also reaches instrumentation spans in the trajectory that did not
 * set it themselves (SPEC.md §5a); Bento's own child spans keep their scope / getter identity.
 *
 * @example
 * bento.updateCurrentTrace({ userId: session.user.id, tags: ["beta"] });
 */
export function updateCurrentTrace(update: TraceUpdate): void {
  try {
    const trajectory = enclosingTrajectory(currentNode());
    if (!trajectory || !update) return;
    const root = rootOf(trajectory);
    const id = root.identity;
    const traced = (root.traceUpdate ??= {});
    if ("userId" in update) {
      traced.userId = update.userId === null ? null : coerceIdentityString(update.userId);
      if (!id.explicitUserId) id.userId = traced.userId ?? undefined;
    }
    if ("sessionId" in update) {
      traced.convoId = update.sessionId === null ? null : coerceIdentityString(update.sessionId);
      if (!id.explicitConvoId) id.convoId = traced.convoId ?? undefined;
    }
    if ("tags" in update) {
      traced.tags = update.tags === null ? null : coerceTags(update.tags);
      id.tags = traced.tags ?? undefined;
    }
    const out: Attributes = {};
    writeProperties(out, update.properties, runtime().settings);
    root.span.setAttributes(out);
  } catch (err) {
    log.warnOnce("updateCurrentTrace", `updateCurrentTrace ignored bad input: ${String(err)}`);
  }
}

/**
 * Write properties to the innermost active span: a Bento trajectory or tool span, or a span an
 * instrumentation made active through Bento's provider inside it (an AI SDK tool call, say).
 * Outside any Bento span, the active OpenTelemetry span if one is recording; else a no-op.
 *
 * @example
 * bento.updateCurrentSpan({ properties: { retrieved_docs: 4 } });
 */
export function updateCurrentSpan(update: { properties?: Record<string, unknown> }): void {
  try {
    const span = innermostSpan();
    if (!span || !update) return;
    const out: Attributes = {};
    writeProperties(out, update.properties, runtime().settings);
    span.setAttributes(out);
  } catch (err) {
    log.warnOnce("updateCurrentSpan", `updateCurrentSpan ignored bad input: ${String(err)}`);
  }
}

/**
 * Run `fn` with identity overrides for every span it creates, following its async flow.
 * `null` clears a field inside the scope; omitted fields keep the outer value.
 *
 * @example
 * await bento.propagateAttributes({ userId: req.user.id, sessionId: req.body.chatId }, () => handle(req));
 */
export function propagateAttributes<T>(attributes: IdentityScope, fn: () => T): T {
  const frame = currentFrame();
  let scope: IdentityScope | undefined = frame?.scope;
  try {
    scope = { ...frame?.scope };
    for (const k of ["userId", "sessionId", "tags"] as const) {
      if (attributes && k in attributes) (scope as Record<string, unknown>)[k] = attributes[k];
    }
  } catch (err) {
    log.warnOnce("propagateAttributes", `propagateAttributes ignored bad input: ${String(err)}`);
  }
  return runInFrame({ node: frame?.node, scope }, fn);
}
