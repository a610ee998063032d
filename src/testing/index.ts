/**
 * `@bentolabs/sdk/testing`: capture the spans your code emits, in memory, in your own tests.
 * No network, no API key. See docs/testing.md.
 */

export type { Capture } from "./capture.js";
export { capture } from "./capture.js";
export { expectSpan, SpanAssertion } from "./expect.js";
export type { CapturedSpan } from "./record.js";
export type { TreeOptions } from "./tree.js";
export { renderTree } from "./tree.js";
