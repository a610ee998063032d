#!/usr/bin/env node
import { processIo } from "./io.js";
import { run } from "./main.js";

// exitCode instead of process.exit(): lets piped stdout drain before the process ends.
void run(process.argv.slice(2), processIo()).then((code) => {
  process.exitCode = code;
});
