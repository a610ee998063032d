#!/usr/bin/env node
// `npm version <patch|minor|major>` runs this (package.json "version" script) after it bumped
// package.json and before it commits: the changelog's Unreleased section becomes the new
// version's section, dated today, under a fresh empty Unreleased heading.
// Usage: node scripts/changelog-release.mjs [CHANGELOG.md] [version] (defaults: ./CHANGELOG.md, package.json's version)
import { readFileSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

/** The changelog text with `## [Unreleased]`'s entries moved under `## [version] - date`. */
export function release(text, version, date) {
  const heading = "## [Unreleased]";
  const start = text.indexOf(heading);
  if (start < 0) throw new Error(`no "${heading}" section in the changelog`);
  const bodyStart = start + heading.length;
  const next = text.indexOf("\n## [", bodyStart);
  const body = text.slice(bodyStart, next < 0 ? undefined : next).trim();
  if (body === "") throw new Error(`"${heading}" is empty: record the changes of ${version} before releasing it`);
  if (text.includes(`## [${version}]`)) throw new Error(`the changelog already has a section for ${version}`);
  const rest = next < 0 ? "" : text.slice(next);
  return `${text.slice(0, start)}${heading}\n\n## [${version}] - ${date}\n\n${body}\n${rest}`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const path = process.argv[2] ?? "CHANGELOG.md";
  const version = process.argv[3] ?? JSON.parse(readFileSync("package.json", "utf8")).version;
  try {
    writeFileSync(path, release(readFileSync(path, "utf8"), version, new Date().toISOString().slice(0, 10)));
    console.log(`${path}: Unreleased is now ${version}`);
  } catch (err) {
    console.error(`changelog-release: ${err.message}`);
    process.exitCode = 1;
  }
}
