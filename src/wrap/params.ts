/**
 * Parameter names of a function, read once from its source text, so `@bento.tool` can record the
 * arguments as `{ name: value }`. Rules (README "Decorators and wrappers"):
 * - plain and defaulted parameters use their name (`(a, b = 2)` → `a`, `b`);
 * - a rest parameter collects the remaining arguments as an array (`(...items)` → `items`);
 * - a destructured parameter is recorded whole under its position (`({ a, b })` → `arg0`);
 * - extra arguments beyond the declared ones become `argN`;
 * - when the source cannot be read (native, bound, unparseable), every argument is `argN`.
 */
export interface Param {
  readonly key: string;
  readonly rest: boolean;
}

/** `undefined` means: names unknown, use `arg0`, `arg1`, … */
export type ParamSpec = readonly Param[] | undefined;

const cache = new WeakMap<Function, ParamSpec>();
const IDENT = /^[\p{ID_Start}$_][\p{ID_Continue}$\u200c\u200d]*/u;

/** Parameter spec of `fn`, parsed on first use and cached for the function's lifetime. */
export function paramSpec(fn: Function): ParamSpec {
  if (cache.has(fn)) return cache.get(fn);
  let spec: ParamSpec;
  try {
    spec = parseParams(Function.prototype.toString.call(fn));
  } catch {
    spec = undefined;
  }
  cache.set(fn, spec);
  return spec;
}

/** The call's arguments as a JSON-ready object keyed by parameter name. `this` is never included. */
export function bindArgs(spec: ParamSpec, args: readonly unknown[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const put = (key: string, value: unknown) =>
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  let i = 0;
  for (const p of spec ?? []) {
    if (p.rest) {
      put(p.key, args.slice(i));
      return out;
    }
    if (i < args.length) put(p.key, args[i]);
    i++;
  }
  for (; i < args.length; i++) put(`arg${i}`, args[i]);
  return out;
}

/** Parse the parameter list out of a function's source text; `undefined` when it can't. */
export function parseParams(src: string): ParamSpec {
  if (/^\s*class\b/.test(src) || /\{\s*\[native code\]\s*\}\s*$/.test(src)) return undefined;
  const start = findParamStart(src);
  if (start === undefined) return undefined;
  if (start.arrowParam !== undefined) return [{ key: start.arrowParam, rest: false }];
  const parts = splitTopLevel(src, start.index);
  if (!parts) return undefined;
  const params: Param[] = [];
  for (const [n, raw] of parts.entries()) {
    const text = raw.trim();
    if (text === "") {
      if (n === parts.length - 1) continue; // trailing comma
      return undefined;
    }
    if (text.startsWith("...")) {
      const name = IDENT.exec(text.slice(3).trim())?.[0];
      params.push({ key: name ?? `arg${n}`, rest: true });
      continue;
    }
    if (text.startsWith("{") || text.startsWith("[")) {
      params.push({ key: `arg${n}`, rest: false });
      continue;
    }
    const name = IDENT.exec(text)?.[0];
    if (!name) return undefined;
    params.push({ key: name, rest: false });
  }
  return params;
}

/** Index of the `(` that opens the parameter list, or the lone parameter of `x => …`. */
function findParamStart(src: string): { index: number; arrowParam?: string } | undefined {
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === "/" && (src[i + 1] === "/" || src[i + 1] === "*")) i = skipComment(src, i);
    else if (c === '"' || c === "'" || c === "`") i = skipString(src, i);
    else if (c === "[") i = skipBalanced(src, i);
    else if (c === "(") return { index: i };
    else if (c === "=" && src[i + 1] === ">") {
      const head = src
        .slice(0, i)
        .trim()
        .replace(/^async\s+/, "");
      const name = IDENT.exec(head)?.[0];
      return name && name === head ? { index: i, arrowParam: name } : undefined;
    } else if (c === "{") return undefined;
    else i++;
  }
  return undefined;
}

/** Split the parameter list opened at `open` on top-level commas; undefined if unbalanced. */
function splitTopLevel(src: string, open: number): string[] | undefined {
  const parts: string[] = [];
  let depth = 0;
  let from = open + 1;
  let prev = "(";
  for (let i = open + 1; i < src.length; ) {
    const c = src[i]!;
    if (c === "/" && (src[i + 1] === "/" || src[i + 1] === "*")) {
      const end = skipComment(src, i);
      src = src.slice(0, i) + " ".repeat(end - i) + src.slice(end); // blank comments out of the names
      i = end;
      continue;
    }
    if (c === '"' || c === "'" || c === "`") i = skipString(src, i);
    else if (c === "/" && /[(,=:[!&|?{};+\-*%<>~^]/.test(prev)) i = skipRegex(src, i);
    else if (c === "(" || c === "[" || c === "{") depth++, i++;
    else if (c === ")" || c === "]" || c === "}") {
      if (depth === 0) {
        if (c !== ")") return undefined;
        parts.push(src.slice(from, i));
        return parts.length === 1 && parts[0]!.trim() === "" ? [] : parts;
      }
      depth--, i++;
    } else if (c === "," && depth === 0) parts.push(src.slice(from, i)), (from = ++i);
    else i++;
    if (!/\s/.test(c)) prev = c;
  }
  return undefined;
}

function skipComment(src: string, i: number): number {
  if (src[i + 1] === "/") {
    const end = src.indexOf("\n", i);
    return end < 0 ? src.length : end + 1;
  }
  const end = src.indexOf("*/", i + 2);
  return end < 0 ? src.length : end + 2;
}

/** Skip a string or template literal starting at `i` (template substitutions included). */
function skipString(src: string, i: number): number {
  const quote = src[i];
  for (let j = i + 1; j < src.length; j++) {
    const c = src[j];
    if (c === "\\") j++;
    else if (c === quote) return j + 1;
    else if (quote === "`" && c === "$" && src[j + 1] === "{") j = skipBalanced(src, j + 1) - 1;
  }
  return src.length;
}

function skipRegex(src: string, i: number): number {
  let inClass = false;
  for (let j = i + 1; j < src.length; j++) {
    const c = src[j];
    if (c === "\\") j++;
    else if (c === "[") inClass = true;
    else if (c === "]") inClass = false;
    else if (c === "/" && !inClass) return j + 1;
    else if (c === "\n") return j;
  }
  return src.length;
}

/** Skip a bracketed section starting at `i` (`[`, `{` or `(`), honouring strings and comments. */
function skipBalanced(src: string, i: number): number {
  let depth = 0;
  for (let j = i; j < src.length; ) {
    const c = src[j]!;
    if (c === "/" && (src[j + 1] === "/" || src[j + 1] === "*")) j = skipComment(src, j);
    else if (c === '"' || c === "'" || c === "`") j = skipString(src, j);
    else if (c === "[" || c === "{" || c === "(") depth++, j++;
    else if (c === "]" || c === "}" || c === ")") {
      depth--, j++;
      if (depth === 0) return j;
    } else j++;
  }
  return src.length;
}
