import { build } from "esbuild";

/** The resolve conditions each platform's bundler uses (wrangler; Next.js / Vercel Edge). */
export const CONDITIONS = {
  workerd: ["workerd", "worker", "browser"],
  "edge-light": ["edge-light", "worker", "browser"],
} as const;

/**
 * Bundle an example the way the platform's own tooling would: `@bentolabs/sdk` resolves through
 * this package's `exports` map (self-reference) with the platform's conditions, to the built dist.
 * Fails when the result imports anything: an edge runtime could not load it.
 */
export async function bundleExample(
  entry: string,
  platform: keyof typeof CONDITIONS,
  format: "esm" | "iife" = "esm",
): Promise<{ code: string; inputs: string[] }> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format,
    platform: "browser",
    conditions: [...CONDITIONS[platform]],
    mainFields: ["browser", "module", "main"],
    metafile: true,
    logLevel: "silent",
  });
  const code = result.outputFiles[0]!.text;
  return { code, inputs: Object.keys(result.metafile.inputs) };
}
