import { log } from "../log.js";

/** A span name from user input; warns once and falls back when it is missing or not a string. */
export function safeName(name: unknown, fallback: string): string {
  if (typeof name === "string" && name.length > 0) return name;
  log.warnOnce(`missing_name_${fallback}`, `${fallback} was called without a name (event); using "${fallback}".`);
  return fallback;
}

/** A random span id, for the rare path where no real span could be made. */
export function randomSpanId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
