import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT } from "./packed.js";

const run = promisify(execFile);
const SCRIPT = join(ROOT, "scripts", "changelog-release.mjs");
const dirs: string[] = [];

afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

/** Run the `npm version` hook on `text` for `version`; returns the new text, or the error output. */
async function release(text: string, version: string): Promise<{ ok: boolean; text: string; stderr: string }> {
  const dir = await mkdtemp(join(tmpdir(), "bentolabs-changelog-"));
  dirs.push(dir);
  const path = join(dir, "CHANGELOG.md");
  await writeFile(path, text);
  try {
    await run(process.execPath, [SCRIPT, path, version]);
    return { ok: true, text: await readFile(path, "utf8"), stderr: "" };
  } catch (err) {
    return { ok: false, text: await readFile(path, "utf8"), stderr: (err as { stderr: string }).stderr };
  }
}

describe("the version hook (npm version runs scripts/changelog-release.mjs)", () => {
  it("moves the Unreleased entries under the new version, dated today, above the older releases", async () => {
    const before = "# Changelog\n\n## [Unreleased]\n\n### Fixed\n- a bug\n\n## [0.1.0] - 2026-11-21\n\n### Added\n- everything\n";
    const { ok, text } = await release(before, "0.1.1");
    const today = new Date().toISOString().slice(0, 10);
    expect(ok).toBe(true);
    expect(text).toBe(
      `# Changelog\n\n## [Unreleased]\n\n## [0.1.1] - ${today}\n\n### Fixed\n- a bug\n\n## [0.1.0] - 2026-11-21\n\n### Added\n- everything\n`,
    );
  });

  it("refuses to release an empty Unreleased section and leaves the file as it was", async () => {
    const before = "# Changelog\n\n## [Unreleased]\n\n## [0.1.0] - 2026-11-21\n\n- x\n";
    const result = await release(before, "0.2.0");
    expect(result).toMatchObject({ ok: false, text: before });
    expect(result.stderr).toContain("record the changes of 0.2.0");
  });

  it("keeps the repository's changelog releasable: it has an Unreleased section and a section for the current version", async () => {
    const text = await readFile(join(ROOT, "CHANGELOG.md"), "utf8");
    const { version } = JSON.parse(await readFile(join(ROOT, "package.json"), "utf8")) as { version: string };
    expect(text).toContain("## [Unreleased]");
    expect(text).toMatch(new RegExp(`^## \\[${version.replace(/\./g, "\\.")}\\] - \\d{4}-\\d{2}-\\d{2}$`, "m"));
  });
});
