import path from "node:path";
import { defineConfig, type Options } from "tsup";

type EsbuildPlugin = NonNullable<Options["esbuildPlugins"]>[number];

const NODE_BUILTIN =
  /^node:|^(assert|async_hooks|buffer|child_process|crypto|dns|events|fs|http|https|module|net|os|path|perf_hooks|process|stream|tls|url|util|worker_threads|zlib)(\/.*)?$/;

/**
 * The edge build (Cloudflare workerd, Vercel edge-light): `src/platform/host.ts` resolves to the
 * fetch / CompressionStream platform, and any import of a Node built-in fails the build, so the
 * bundle provably imports none.
 */
const edgePlatform: EsbuildPlugin = {
  name: "bento-edge-platform",
  setup(build) {
    build.onResolve({ filter: /[\\/]platform[\\/]host(\.js)?$/ }, () => ({ path: path.resolve("src/platform/edge.ts") }));
    // The one exception: "buffer" in edge-buffer.ts is the npm package, bundled in.
    build.onResolve({ filter: NODE_BUILTIN }, (args) =>
      args.path === "buffer" && args.importer.endsWith("edge-buffer.ts")
        ? undefined
        : {
            errors: [
              {
                text: `The edge build must not import the Node module "${args.path}" (imported by ${args.importer}). Route it through src/platform/.`,
              },
            ],
          },
    );
  },
};

export default defineConfig([
  {
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
    // No source maps in the package: the bundles are unminified and readable, and maps (with their
    // embedded sources) would double the install size (issue 18: production install ≤ 20 MB).
    sourcemap: false,
    // dist/edge belongs to the second build, which may finish first.
    clean: ["!edge/**"],
    target: "node20",
    platform: "node",
    // Entry points share chunks (ESM natively, CJS through tsup's require()-based splitting), so
    // every module, and so every error class and the runtime singleton, exists once per format.
    splitting: true,
    treeshake: true,
    // import.meta.url in the CJS bundles (the dev server finds its database engine from it)
    shims: true,
  },
  {
    // The tracing entry point for runtimes without Node's modules; its types are dist/index.d.ts.
    entry: { index: "src/index.ts" },
    outDir: "dist/edge",
    format: ["esm"],
    dts: false,
    sourcemap: false,
    clean: true,
    target: "es2022",
    // OpenTelemetry's SDK packages are bundled through their browser builds: their Node builds
    // import os/crypto/perf_hooks, which an edge bundler may not resolve (wrangler without
    // nodejs_compat). @opentelemetry/api stays external: one copy shared with the app.
    platform: "browser",
    noExternal: [/^@opentelemetry\/(?!api$)/, "buffer", "fast-sha256"],
    esbuildPlugins: [edgePlatform],
    esbuildOptions(options) {
      options.inject = [path.resolve("src/platform/edge-buffer.ts")];
      options.conditions = ["workerd", "edge-light", "worker", "browser"];
      options.mainFields = ["browser", "module", "main"];
    },
  },
]);
