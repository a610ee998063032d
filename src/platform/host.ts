/**
 * The platform of this build. The Node build keeps this re-export; the edge build's bundler
 * plugin (tsup.config.ts) resolves this module to `edge.ts` instead.
 */
export { platform } from "./node.js";
