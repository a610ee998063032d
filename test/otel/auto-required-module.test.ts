import { createRequire } from "node:module";
import { afterEach, describe, expect, it } from "vitest";
import { defaultAutoDeps } from "../../src/otel/auto.js";

const host = process as unknown as { getBuiltinModule?: unknown };
const original = host.getBuiltinModule;
afterEach(() => {
  host.getBuiltinModule = original;
});

describe("finding the app's CommonJS copy of a client", () => {
  const appRequire = createRequire(`${process.cwd()}/package.json`);
  const loaded = appRequire("openai");

  it("finds a module the app required", async () => {
    expect(await defaultAutoDeps.requiredModule("openai")).toBe(loaded);
  });

  it("finds it on Node 20 before 20.16 too, where process.getBuiltinModule does not exist", async () => {
    host.getBuiltinModule = undefined;
    expect(await defaultAutoDeps.requiredModule("openai")).toBe(loaded);
  });

  it("answers undefined for a module the app never required", async () => {
    expect(await defaultAutoDeps.requiredModule("a-package-that-is-not-installed")).toBeUndefined();
  });
});
