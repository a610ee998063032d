// A minimal OTLP/HTTP JSON receiver for the benchmark, run in its own process so its parsing
// cost never lands on the measured event loop. GET /count reports what arrived.
import { createServer } from "node:http";
import { gunzipSync } from "node:zlib";

let spans = 0;
let requests = 0;
const server = createServer((req, res) => {
  if (req.method === "GET") {
    res.writeHead(200, { "content-type": "application/json" });
    return res.end(JSON.stringify({ spans, requests }));
  }
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    requests++;
    try {
      let buf = Buffer.concat(chunks);
      if (req.headers["content-encoding"] === "gzip") buf = gunzipSync(buf);
      const body = JSON.parse(buf.toString("utf8"));
      for (const rs of body.resourceSpans ?? []) for (const ss of rs.scopeSpans ?? []) spans += (ss.spans ?? []).length;
    } catch {
      // count the request anyway
    }
    res.writeHead(200, { "content-type": "application/json" });
    res.end("{}");
  });
});
server.listen(0, "127.0.0.1", () => process.send?.({ port: server.address().port }));
process.on("disconnect", () => process.exit(0));
