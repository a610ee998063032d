import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { GROUPS } from "../../src/cli/main.js";

const doc = readFileSync(new URL("../../docs/cli.md", import.meta.url), "utf8");
const table = doc.split("## All commands and their routes")[1]?.split("\n## ")[0] ?? "";

describe("docs/cli.md", () => {
  const commands = GROUPS.flatMap((g) => g.commands);
  it.each(commands.map((c) => [`${c.group} ${c.name}`, c.route] as const))("lists %s with its route", (name, route) => {
    const row = table.split("\n").find((l) => l.startsWith(`| \`${name}`));
    expect(row, `no row for ${name}`).toBeDefined();
    if (route) expect(row).toContain(route.split(" ").slice(0, 2).join(" ").split("?")[0]);
  });
});
