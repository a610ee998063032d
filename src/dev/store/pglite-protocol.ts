import { JsonArrayText } from "./sql.js";

/**
 * One statement as PostgreSQL extended-protocol messages (Parse, Bind, Describe, Execute, Sync),
 * with text parameters, ready for PGlite's `execProtocolStream`. Pure.
 *
 * Why: PGlite's `query()` encodes each parameter in JavaScript on the engine's thread (it measures a
 * string's UTF-8 length in a character loop, twice, then copies it through growing buffers): for the
 * ~1.5 MB JSON of a 1,024-span write that was ~9 ms of the engine thread's ~46 ms. Encoded here, on
 * the main thread, it is `Buffer.write` (native) and the bytes move to the worker without a copy.
 * Only strings, nulls and {@link JsonArrayText}s are encoded (a parameter of any other type goes
 * through `query()`, whose serializers depend on the parameter's type); PostgreSQL infers the types
 * from the statement, as it does for `query()`, which sends no types either.
 */
export function encodeStatement(text: string, params: readonly EncodableParam[]): Uint8Array {
  const textBytes = Buffer.byteLength(text);
  let size = 1 + 4 + 1 + textBytes + 1 + 2; // Parse: unnamed statement, no parameter types
  size += 1 + 4 + 1 + 1 + 2 + 2 + 2; // Bind: unnamed portal and statement, text formats
  for (const p of params) size += 4 + byteLength(p);
  size += 1 + 4 + 1 + 1; // Describe the portal (names the result columns)
  size += 1 + 4 + 1 + 4; // Execute, all rows
  size += 1 + 4; // Sync
  // never from Buffer's shared pool: the whole ArrayBuffer is transferred to the worker
  const b = Buffer.allocUnsafeSlow(size);
  let o = 0;
  const begin = (type: number) => {
    b[o++] = type;
    const at = o;
    o += 4;
    return () => b.writeInt32BE(o - at, at);
  };
  let end = begin(0x50); // 'P'
  b[o++] = 0;
  o += b.write(text, o);
  b[o++] = 0;
  o = b.writeInt16BE(0, o);
  end();
  end = begin(0x42); // 'B'
  b[o++] = 0;
  b[o++] = 0;
  o = b.writeInt16BE(0, o);
  o = b.writeInt16BE(params.length, o);
  for (const p of params) {
    if (p === null) {
      o = b.writeInt32BE(-1, o);
      continue;
    }
    const at = o;
    o += 4;
    if (typeof p === "string") o += b.write(p, o);
    else {
      // '[' element (',' element)* ']', each element written where it lies
      b[o++] = 0x5b;
      p.elements.forEach((e, i) => {
        if (i > 0) b[o++] = 0x2c;
        o += b.write(e, o);
      });
      b[o++] = 0x5d;
    }
    b.writeInt32BE(o - at - 4, at);
  }
  o = b.writeInt16BE(0, o);
  end();
  end = begin(0x44); // 'D'
  b[o++] = 0x50; // the portal
  b[o++] = 0;
  end();
  end = begin(0x45); // 'E'
  b[o++] = 0;
  o = b.writeInt32BE(0, o);
  end();
  end = begin(0x53); // 'S'
  end();
  return new Uint8Array(b.buffer, b.byteOffset, o);
}

type EncodableParam = string | null | JsonArrayText;

function byteLength(p: EncodableParam): number {
  if (p === null) return 0;
  if (typeof p === "string") return Buffer.byteLength(p);
  let n = 2 + Math.max(p.elements.length - 1, 0);
  for (const e of p.elements) n += Buffer.byteLength(e);
  return n;
}

/** Whether {@link encodeStatement} takes this statement (no NUL in its text) and parameters (strings, nulls, JSON array texts). */
export const encodable = (text: string, params: readonly unknown[]): params is readonly EncodableParam[] =>
  !text.includes("\0") && params.every((p) => typeof p === "string" || p === null || p instanceof JsonArrayText);
