import { readFileSync } from "node:fs";
import { parseJsonBody } from "../api/index.js";
import type { Io } from "./io.js";
import { registerSecretsIn } from "./mask.js";
import type { Flags } from "./spec.js";
import { UsageError } from "./usage-error.js";

export interface BodyOptions {
  /** Read stdin when neither flag is given and stdin is not a terminal (`raw` says no). */
  allowStdin: boolean;
}

/**
 * The request body from `--data '<json>'`, `--data-file <path>` (`-` = stdin), or piped stdin.
 * Invalid JSON is a validation error (exit 2). Secret-named values are registered for masking.
 * Returns undefined when no body was given.
 */
export async function readBody(flags: Flags, io: Io, options: BodyOptions): Promise<unknown> {
  const data = flags.data;
  const file = flags["data-file"];
  if (typeof data === "string" && typeof file === "string") throw new UsageError("Use either --data or --data-file, not both.");
  let text: string | undefined;
  let source = "--data";
  if (typeof data === "string") text = data;
  else if (typeof file === "string") {
    source = file === "-" ? "stdin" : `--data-file ${file}`;
    try {
      text = file === "-" ? await io.readStdin() : readFileSync(file, "utf8");
    } catch (e) {
      throw new UsageError(`Cannot read --data-file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  } else if (options.allowStdin && !io.stdinIsTTY) {
    source = "stdin";
    text = await io.readStdin();
    if (!text.trim()) return undefined;
  }
  if (text === undefined) return undefined;
  const body = parseJsonBody(text, source);
  registerSecretsIn(body);
  return body;
}

/** Like {@link readBody}, but a missing body is a usage error that says how to pass one. */
export async function requireBody(flags: Flags, io: Io, command: string): Promise<unknown> {
  const body = await readBody(flags, io, { allowStdin: true });
  if (body === undefined) {
    throw new UsageError(`${command} needs a JSON body: pass --data '<json>', --data-file <path>, or pipe it on stdin.`);
  }
  return body;
}
