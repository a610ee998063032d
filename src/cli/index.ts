#!/usr/bin/env node
import { processIo } from "./io.js";
import { isDevInvocation, run } from "./main.js";

const argv = process.argv.slice(2);

/** Call `done` once everything written to `stream` has been handed to the OS. */
function drain(stream: NodeJS.WriteStream, done: () => void): void {
  stream.write("", () => done());
}

void run(argv, processIo()).then((code) => {
  process.exitCode = code;
  if (isDevInvocation(argv)) return;
  // fetch keeps its connection pool (and so the process) alive for a few hundred ms after the
  // last response; a one-shot command leaves as soon as its output is flushed.
  drain(process.stdout, () => drain(process.stderr, () => process.exit(code)));
});
