import type { IdentityScope } from "./context.js";

/** A static value, or a zero-arg getter evaluated on every span. */
export type IdentitySource<T> = T | (() => T | null | undefined);

export interface IdentityOptions {
  /** Default `gen_ai.user.id`. `null` clears a previously configured source. */
  userId?: IdentitySource<string> | null;
  /** Default `gen_ai.conversation.id`. `null` clears a previously configured source. */
  sessionId?: IdentitySource<string> | null;
  /** Default `langfuse.tags`. `null` clears a previously configured source. */
  tags?: IdentitySource<readonly string[]> | null;
}

export interface Identity {
  userId?: string;
  convoId?: string;
  tags?: readonly string[];
}

type Field = keyof IdentityOptions;
const FIELDS: readonly Field[] = ["userId", "sessionId", "tags"];
let sources: IdentityOptions = {};
let hasSources = false;

/** Apply `init()` identity options: omitted keeps the previous source, `null` clears it. */
export function configureIdentity(options: IdentityOptions): void {
  const next = { ...sources };
  for (const f of FIELDS) {
    if (!(f in options)) continue;
    const v = options[f];
    if (v === null || v === undefined) delete next[f];
    else (next as Record<Field, unknown>)[f] = v;
  }
  sources = next;
  hasSources = Object.keys(next).length > 0;
}

export function resetIdentity(): void {
  sources = {};
  hasSources = false;
}

function asString(v: unknown): string | undefined {
  if (typeof v === "string") return v.length > 0 ? v : undefined;
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  return undefined;
}

function asTags(v: unknown): readonly string[] | undefined {
  if (typeof v === "string") return v ? [v] : undefined;
  if (!Array.isArray(v)) return undefined;
  const tags = v.filter((t): t is string => typeof t === "string");
  return tags.length > 0 ? tags : undefined;
}

function evaluate(source: unknown): unknown {
  if (typeof source !== "function") return source;
  try {
    return (source as () => unknown)();
  } catch {
    return undefined; // a throwing getter drops the field for this span
  }
}

/**
 * Identity for a new span from the scope (propagateAttributes) and the init getters.
 * A scope value of `null` clears the field: the getter is not consulted.
 */
export function ambientIdentity(scope: IdentityScope | undefined): Identity {
  const id: Identity = {};
  if (!scope && !hasSources) return id; // hot path: nothing configured, nothing scoped
  const userId = pick(scope, scope?.userId, "userId", asString);
  const convoId = pick(scope, scope?.sessionId, "sessionId", asString);
  const tags = pick(scope, scope?.tags, "tags", asTags);
  if (userId !== undefined) id.userId = userId;
  if (convoId !== undefined) id.convoId = convoId;
  if (tags !== undefined) id.tags = tags;
  return id;
}

function pick<T>(
  scope: IdentityScope | undefined,
  scoped: T | null | undefined,
  f: Field,
  coerce: (v: unknown) => T | undefined,
): T | undefined {
  if (scope && scoped === null) return undefined;
  if (scoped !== undefined && scoped !== null) return coerce(scoped);
  return f in sources ? coerce(evaluate(sources[f])) : undefined;
}

export { asString as coerceIdentityString, asTags as coerceTags };
