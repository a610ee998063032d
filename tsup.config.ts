import { defineConfig } from "tsup";

export default defineConfig({
  entry: {
    index: "src/index.ts",
    api: "src/api/index.ts",
    cli: "src/cli/index.ts",
    testing: "src/testing/index.ts",
    "dev/index": "src/dev/index.ts",
    "dev/cli": "src/dev/cli.ts",
  },
  format: ["esm", "cjs"],
  dts: true,
  // No source maps in the package: the bundles are unminified and readable, and maps (with their
  // embedded sources) would double the install size (issue 18: production install ≤ 20 MB).
  sourcemap: false,
  clean: true,
  target: "node20",
  platform: "node",
  // Entry points share chunks (ESM natively, CJS through tsup's require()-based splitting), so
  // every module, and so every error class and the runtime singleton, exists once per format.
  splitting: true,
  treeshake: true,
});
