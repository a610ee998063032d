import { Buffer as BufferPolyfill } from "buffer";

/**
 * Injected into the edge build for the export encoder's `Buffer` uses (src/export/otlp-json.ts):
 * the runtime's own Buffer where there is one (Workers with nodejs_compat), else the `buffer`
 * package bundled in. Not a Node import: esbuild resolves "buffer" to the npm package here.
 */
export const Buffer: typeof BufferPolyfill = (globalThis as { Buffer?: typeof BufferPolyfill }).Buffer ?? BufferPolyfill;
