import type { NodeIdentity } from "../context.js";
import { currentFrame } from "../context.js";
import { ambientIdentity } from "../identity.js";

/** Identity of a new span: explicit options first, then scope, then init getters (SPEC.md §5). */
export function nodeIdentity(explicit: { userId?: unknown; convoId?: unknown } | undefined): NodeIdentity {
  const ambient = ambientIdentity(currentFrame()?.scope);
  const userId = typeof explicit?.userId === "string" && explicit.userId ? explicit.userId : undefined;
  const convoId = typeof explicit?.convoId === "string" && explicit.convoId ? explicit.convoId : undefined;
  return {
    userId: userId ?? ambient.userId,
    convoId: convoId ?? ambient.convoId,
    tags: ambient.tags,
    explicitUserId: userId !== undefined,
    explicitConvoId: convoId !== undefined,
  };
}
