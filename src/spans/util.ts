import { log } from "../log.js";

/** A span name from user input; warns once and falls back when it is missing or not a string. */
export function safeName(name: unknown, fallback: string): string {
  if (typeof name === "string" && name.length > 0) return name;
  log.warnOnce(`missing_name_${fallback}`, `${fallback} was called without a name (event); using "${fallback}".`);
  return fallback;
}

// Ids for calls that build no span (tracing off, or a span that could not be made): a random
// per-process prefix and a counter, so they are unique without a crypto call on every use.
// Drawn on first use: Workers forbid random values at module scope.
let PREFIX: string | undefined;
const prefix = () => (PREFIX ??= Array.from(crypto.getRandomValues(new Uint8Array(4)), (b) => b.toString(16).padStart(2, "0")).join(""));
const HEX = Array.from({ length: 256 }, (_, i) => (i + 256).toString(16).slice(1));
let counter = 0;

/** A unique 16-hex-char id where no real span was made. Cheap (table lookups, no `toString(16)`): the tracing-off path returns it. */
export function randomSpanId(): string {
  const c = (counter = (counter + 1) >>> 0);
  return prefix() + HEX[c >>> 24]! + HEX[(c >>> 16) & 255]! + HEX[(c >>> 8) & 255]! + HEX[c & 255]!;
}

/**
 * `sessionId` is the identity helpers' name (init, propagateAttributes, updateCurrentTrace); on
 * `begin` / `trackAi` the session is `convoId`. Passing `sessionId` there is a habit from other
 * SDKs: say so once instead of silently ignoring it.
 */
export function warnSessionIdOption(options: unknown, call: "begin" | "trackAi"): void {
  if ((options as { sessionId?: unknown } | null)?.sessionId === undefined) return;
  log.warnOnce(
    `sessionId_${call}`,
    `${call}() ignores "sessionId": pass the session as "convoId" (${call}({ convoId })). ` +
      `"sessionId" is the name used by init(), propagateAttributes() and updateCurrentTrace().`,
  );
}
