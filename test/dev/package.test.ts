import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { freshDataDir } from "./helpers.js";

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL("../../", import.meta.url));

// Loads the built package by name, the way users and examples/demo.mjs do.
const SCRIPT = (load: string) => `
  const dev = ${load};
  const server = await dev.startDevServer({ dataDir: process.argv[1] });
  const page = await (await fetch(server.url + "/")).text();
  const js = await (await fetch(server.url + "/assets/viewer.js")).text();
  const css = await fetch(server.url + "/assets/viewer.css");
  console.log(JSON.stringify({ tree: typeof dev.buildSpanTree, render: typeof dev.renderSpanTree,
    page: page.includes("/assets/viewer.js"), js: js.includes("span-tree"), css: css.status }));
  await server.close();`;

describe("@bentolabs/sdk/dev package entry", () => {
  for (const [kind, load, type] of [
    ["import", 'await import("@bentolabs/sdk/dev")', "module"],
    ["require", 'require("@bentolabs/sdk/dev")', "commonjs"],
  ] as const) {
    it(`starts the server and serves the viewer assets from dist through ${kind}`, { timeout: 30_000 }, async () => {
      const body = type === "module" ? SCRIPT(load) : `(async () => { ${SCRIPT(load)} })()`;
      const { stdout } = await run(process.execPath, ["--input-type", type, "-e", body, await freshDataDir()], { cwd: ROOT });
      expect(JSON.parse(stdout)).toEqual({ tree: "function", render: "function", page: true, js: true, css: 200 });
    });
  }
});
