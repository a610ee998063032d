/**
 * `util.inspect.custom` without importing `node:util` (it is a registry symbol), so the edge
 * build can keep the Node-friendly `console.log(pipeline)` output. Node passes its own `inspect`
 * as the third argument of a custom inspector.
 */
export const INSPECT_CUSTOM: unique symbol = Symbol.for("nodejs.util.inspect.custom") as never;

type InspectFn = (value: unknown) => string;

/** A custom inspector printing `label` and the inspected `value()`. */
export function inspector(label: string, value: () => unknown): (depth: unknown, options: unknown, inspect?: InspectFn) => string {
  return (_depth, _options, inspect) => `${label} ${inspect ? inspect(value()) : JSON.stringify(value())}`;
}
