// A minimal OTLP/HTTP JSON receiver on 127.0.0.1 for the demo: it records what arrives.
import { createServer } from "node:http";
import { gunzipSync } from "node:zlib";

export async function startReceiver() {
  const spans = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      let body = Buffer.concat(chunks);
      if (req.headers["content-encoding"] === "gzip") body = gunzipSync(body);
      for (const rs of JSON.parse(body.toString()).resourceSpans ?? [])
        for (const ss of rs.scopeSpans ?? []) for (const s of ss.spans ?? []) spans.push(s);
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, spans, close: () => new Promise((r) => server.close(r)) };
}

const value = (v) => v.stringValue ?? v.intValue ?? v.doubleValue ?? v.boolValue ?? JSON.stringify(v.arrayValue?.values?.map(value));

/** Print received spans as trees, one per trace. */
export function printTrees(spans) {
  const children = new Map();
  for (const s of spans) children.set(s.parentSpanId || "", [...(children.get(s.parentSpanId || "") ?? []), s]);
  const show = (s, depth) => {
    const attrs = Object.fromEntries((s.attributes ?? []).filter((a) => !a.key.includes("value")).map((a) => [a.key, value(a.value)]));
    const ms = (Number(BigInt(s.endTimeUnixNano) - BigInt(s.startTimeUnixNano)) / 1e6).toFixed(1);
    const err = s.status?.code === 2 ? " ERROR" : "";
    console.log(`${"  ".repeat(depth)}- ${s.name} (${ms} ms)${err} ${JSON.stringify(attrs)}`);
    for (const c of children.get(s.spanId) ?? []) show(c, depth + 1);
  };
  for (const root of children.get("") ?? []) show(root, 0);
}
