import { redact } from "../log.js";
import { readHidden } from "./prompt.js";

/** Everything a command touches outside itself, so the dispatcher can run in-process too. */
export interface Io {
  readonly env: NodeJS.ProcessEnv;
  /** Write a line to stdout; registered secrets and key-shaped strings are masked. */
  out(text: string): void;
  /** Write a line to stderr, masked the same way. */
  err(text: string): void;
  readonly stdinIsTTY: boolean;
  readStdin(): Promise<string>;
  /** Ask for a secret at the terminal without echoing it (only called when stdin is a terminal). */
  readSecret(prompt: string): Promise<string>;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString("utf8");
}

/** The real process: stdout/stderr/stdin and `process.env`. */
export function processIo(): Io {
  // `bentolabs … | head -1` closes the pipe early: that is not a crash.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (e: NodeJS.ErrnoException) => {
      if (e.code !== "EPIPE") throw e;
    });
  }
  return {
    env: process.env,
    out: (text) => void process.stdout.write(`${redact(text)}\n`),
    err: (text) => void process.stderr.write(`${redact(text)}\n`),
    stdinIsTTY: Boolean(process.stdin.isTTY),
    readStdin: () => readAll(process.stdin),
    readSecret: (prompt) => readHidden(prompt, { input: process.stdin, output: process.stderr }),
  };
}
