import { randomBytes } from "node:crypto";
import { log } from "../log.js";

/** A span name from user input; warns once and falls back when it is missing or not a string. */
export function safeName(name: unknown, fallback: string): string {
  if (typeof name === "string" && name.length > 0) return name;
  log.warnOnce(`missing_name_${fallback}`, `${fallback} was called without a name (event); using "${fallback}".`);
  return fallback;
}

/** A random span id, for the rare path where no real span could be made. */
export function randomSpanId(): string {
  return randomBytes(8).toString("hex");
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
