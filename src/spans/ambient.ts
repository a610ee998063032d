import { currentFrame, currentNode, enclosingTrajectory, rootOf, type SpanNode } from "../context.js";
import { ambientIdentity, type Identity } from "../identity.js";

/**
 * Identity for spans Bento did not build (instrumentations through Bento's provider, spans through
 * `BentoLabsSpanProcessor`), SPEC.md §5a. Getters and scopes depend on the async context, so they
 * are read when the span starts; the trajectory's `updateCurrentTrace` values are read when it
 * ends, so a trace update made while the span is open still reaches it.
 */
export interface IdentitySnapshot {
  readonly ambient: Identity;
  readonly root: SpanNode | undefined;
}

/** Capture at span start; undefined when nothing could apply (the common, free case). */
export function captureIdentity(): IdentitySnapshot | undefined {
  const ambient = ambientIdentity(currentFrame()?.scope);
  const trajectory = enclosingTrajectory(currentNode());
  const root = trajectory ? rootOf(trajectory) : undefined;
  if (!root && ambient.userId === undefined && ambient.convoId === undefined && ambient.tags === undefined) return undefined;
  return { ambient, root };
}

/** The identity for a span that started with `snapshot`: updateCurrentTrace > scope > init getters. */
export function resolveIdentity(snapshot: IdentitySnapshot | undefined): Identity {
  if (!snapshot) return {};
  const update = snapshot.root?.traceUpdate;
  const { ambient } = snapshot;
  const id: Identity = {};
  const userId = update && "userId" in update ? update.userId : ambient.userId;
  const convoId = update && "convoId" in update ? update.convoId : ambient.convoId;
  const tags = update && "tags" in update ? update.tags : ambient.tags;
  if (userId) id.userId = userId;
  if (convoId) id.convoId = convoId;
  if (tags) id.tags = tags;
  return id;
}
