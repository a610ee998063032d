#!/usr/bin/env node
// Check the package as npm would publish it: pack the built dist once (scripts skipped, so it
// checks the dist/ that `npm run build` made), then run publint and arethetypeswrong on that tarball.
//
// Findings and how each was handled (keep this list next to the config it explains):
// - attw "NoResolution" for `@bentolabs/sdk/{api,dev,testing}` under TypeScript's legacy
//   `moduleResolution: node` (node10), which ignores `exports`: fixed with `typesVersions` in
//   package.json mapping each subpath to its .d.ts. Node ≥ 20 itself always reads `exports`.
// - publint --strict: no findings.
// attw runs with its default "strict" profile (node10, node16 from CJS and ESM, bundler) and no
// ignored rules; publint with --strict (warnings fail too).
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const shell = process.platform === "win32";
const dir = mkdtempSync(join(tmpdir(), "bentolabs-check-package-"));
try {
  const packed = execFileSync("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", dir], { encoding: "utf8", shell });
  const tarball = join(dir, JSON.parse(packed)[0].filename);
  execFileSync("publint", ["run", tarball, "--strict"], { stdio: "inherit", shell });
  execFileSync("attw", [tarball, "--profile", "strict", "--format", "table-flipped", "--no-emoji"], { stdio: "inherit", shell });
} catch (err) {
  console.error(`check:package failed: ${err.message.split("\n")[0]}`);
  process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
