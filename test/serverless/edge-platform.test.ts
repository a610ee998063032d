import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { platform } from "../../src/platform/edge.js";

// The edge platform's pieces that Node can also run (CompressionStream, AsyncLocalStorage via
// process.getBuiltinModule); the whole build runs on workerd and edge-runtime in the sibling tests.
describe("edge platform", () => {
  it("gzips with CompressionStream into a body any gzip reader decodes", async () => {
    const body = new TextEncoder().encode(
      JSON.stringify({ resourceSpans: Array.from({ length: 50 }, (_, i) => ({ i, pad: "abc".repeat(20) })) }),
    );
    const gz = await platform.gzip!(body);
    expect(gz.byteLength).toBeLessThan(body.byteLength / 3);
    expect(new Uint8Array(gunzipSync(gz))).toEqual(body);
  });

  it("finds AsyncLocalStorage through process.getBuiltinModule and keeps stores per async flow", async () => {
    expect(platform.asyncContext).toBe(true);
    const storage = platform.createStorage<string>();
    const seen = await Promise.all(
      ["a", "b"].map((id) =>
        storage.run(id, async () => {
          await new Promise((r) => setTimeout(r, id === "a" ? 20 : 5));
          return storage.getStore();
        }),
      ),
    );
    expect(seen).toEqual(["a", "b"]);
  });

  it("offers an OpenTelemetry context manager on the same storage", () => {
    const manager = platform.createContextManager()!;
    const ctx = manager.active().setValue(Symbol.for("k"), 1);
    expect(manager.with(ctx, () => manager.active().getValue(Symbol.for("k")))).toBe(1);
    const bound = manager.bind(ctx, () => manager.active().getValue(Symbol.for("k")));
    expect(bound()).toBe(1);
    expect(manager.active().getValue(Symbol.for("k"))).toBeUndefined();
  });
});
