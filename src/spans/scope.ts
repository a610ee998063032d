import type { Attributes } from "@opentelemetry/api";
import { writeProperties } from "../attributes/map.js";
import { currentFrame, currentNode, rootOf, runInFrame, type IdentityScope } from "../context.js";
import { coerceIdentityString, coerceTags } from "../identity.js";
import { log } from "../log.js";
import { runtime } from "../runtime.js";

export interface TraceUpdate {
  userId?: string | null;
  sessionId?: string | null;
  tags?: readonly string[] | null;
  properties?: Record<string, unknown>;
}

/**
 * Patch the open trajectory's root span: identity and properties. A no-op outside a trajectory.
 * Explicit `userId` / `convoId` given to `begin` still win; `null` clears a field.
 *
 * @example
 * bento.updateCurrentTrace({ userId: session.user.id, tags: ["beta"] });
 */
export function updateCurrentTrace(update: TraceUpdate): void {
  try {
    const node = currentNode();
    if (!node || !update) return;
    const root = rootOf(node);
    const id = root.identity;
    if ("userId" in update && !id.explicitUserId) id.userId = update.userId === null ? undefined : coerceIdentityString(update.userId);
    if ("sessionId" in update && !id.explicitConvoId) id.convoId = update.sessionId === null ? undefined : coerceIdentityString(update.sessionId);
    if ("tags" in update) id.tags = update.tags === null ? undefined : coerceTags(update.tags);
    const out: Attributes = {};
    writeProperties(out, update.properties, runtime().settings);
    root.span.setAttributes(out);
  } catch (err) {
    log.warnOnce("updateCurrentTrace", `updateCurrentTrace ignored bad input: ${String(err)}`);
  }
}

/**
 * Write properties to the innermost open Bento span (trajectory or tool). A no-op outside one.
 *
 * @example
 * bento.updateCurrentSpan({ properties: { retrieved_docs: 4 } });
 */
export function updateCurrentSpan(update: { properties?: Record<string, unknown> }): void {
  try {
    const node = currentNode();
    if (!node || !update) return;
    const out: Attributes = {};
    writeProperties(out, update.properties, runtime().settings);
    node.span.setAttributes(out);
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
