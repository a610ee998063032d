import { defineConfig } from "tsup";

export default defineConfig({
  entry: {
    index: "src/index.ts",
    api: "src/api/index.ts",
    cli: "src/cli/index.ts",
    testing: "src/testing/index.ts",
    "dev/index": "src/dev/index.ts",
    "dev/cli": "src/dev/cli.ts",
    "mcp/cli": "src/mcp/cli.ts",
  },
  format: ["esm", "cjs"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "node20",
  platform: "node",
  splitting: false,
  treeshake: true,
});
