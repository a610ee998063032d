import { parseArgs } from "node:util";
import { type Footprint, formatBytes } from "./footprint.js";
import { DEFAULT_RETENTION, parseRetention, type RetentionPolicy, RetentionSyntaxError } from "./retention.js";
import { type DevServer, startDevServer } from "./server.js";

const USAGE = `Usage: bentolabs dev [--port 8080] [--host 127.0.0.1] [--data-dir ./.bentolabs] [--database-url postgres://…] [--prices prices.json]
                     [--retention 7d,1M] [--search-index on|off]

Start a local Bento-compatible server: OTLP/HTTP JSON ingest at /v1/traces, the read API,
and a trace viewer at /. Spans are stored in an embedded PostgreSQL (PGlite) in the data dir.
--prices adds or overrides model prices (USD per million tokens) used for cost; see docs/dev-server.md.
--retention  what to keep: an age (12h, 7d, 2w) and/or a span count (500000, 500k, 2M),
             comma-separated, or off. Default 7d,1M. Older runs are removed whole, in the background.
--search-index  on (default): a trigram index, filled in the background while ingest is quiet, makes
             searching runs for rare text fast; off drops it and its copy of the span text (less disk and
             background CPU; searching for rare text then scans every span).`;

interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
  /** Resolves when the process is asked to stop (SIGINT/SIGTERM by default). */
  stopSignal?: Promise<string>;
}

function waitForSignal(): Promise<string> {
  return new Promise((resolve) => {
    const on = (sig: string) => {
      process.off("SIGINT", on);
      process.off("SIGTERM", on);
      resolve(sig);
    };
    process.on("SIGINT", on);
    process.on("SIGTERM", on);
  });
}

function describeFootprint(f: Footprint): string {
  const size = formatBytes(f.disk_bytes ?? f.table_bytes);
  return `${size} (${f.spans.toLocaleString("en-US")} spans in ${f.runs.toLocaleString("en-US")} runs)`;
}

function banner(server: DevServer, dataDir: string, footprint: Footprint): string[] {
  return [
    `Bento dev server listening on ${server.url}`,
    `  viewer:     ${server.url}/`,
    `  workspace:  ${server.workspaceId}`,
    `  API key:    ${server.apiKey}   (dev only; stored in ${dataDir}/credentials.json)`,
    `  storage:    ${server.storage}`,
    `  footprint:  ${describeFootprint(footprint)}`,
    `  retention:  ${server.retention}`,
    "",
    "Point the SDK at it:",
    `  export BENTOLABS_API_KEY=${server.apiKey}`,
    `  export BENTOLABS_BASE_URL=${server.url}`,
    "",
    "Press Ctrl-C to stop.",
  ];
}

/**
 * `bentolabs dev`: parse flags, start the server, print how to use it, and run until
 * SIGINT/SIGTERM; then close cleanly (in-flight ingests finish first). Returns the exit code.
 * The dev key is printed on purpose: it only unlocks this local server.
 *
 * @example
 * process.exitCode = await runDev(["--port", "8080"]);
 */
export async function runDev(argv: string[], io: Io = { out: console.log, err: console.error }): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        port: { type: "string", default: "8080" },
        host: { type: "string", default: "127.0.0.1" },
        "data-dir": { type: "string", default: "./.bentolabs" },
        "database-url": { type: "string" },
        retention: { type: "string" },
        prices: { type: "string" },
        "search-index": { type: "string", default: "on" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    io.err(`${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    io.err(`--port must be a port number (0-65535), got ${JSON.stringify(values.port)}`);
    return 2;
  }
  let retention: RetentionPolicy = DEFAULT_RETENTION;
  try {
    if (values.retention !== undefined) retention = parseRetention(values.retention);
  } catch (err) {
    if (!(err instanceof RetentionSyntaxError)) throw err;
    io.err(err.message);
    return 2;
  }
  const searchIndex = values["search-index"];
  if (searchIndex !== "on" && searchIndex !== "off") {
    io.err(`--search-index must be on or off, got ${JSON.stringify(searchIndex)}`);
    return 2;
  }
  const stop = io.stopSignal ?? waitForSignal();
  let server: DevServer;
  try {
    server = await startDevServer({
      port,
      host: values.host,
      dataDir: values["data-dir"],
      databaseUrl: values["database-url"],
      pricesFile: values.prices,
      retention,
      searchIndex: searchIndex === "on",
    });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const reason = e.code === "EADDRINUSE" ? `port ${port} is already in use (pick another with --port)` : e.message;
    io.err(`bentolabs dev: cannot start: ${reason}`);
    return 1;
  }
  const footprint = await server.footprint();
  for (const line of banner(server, values["data-dir"], footprint)) io.out(line);
  if (values.host !== "127.0.0.1" && values.host !== "localhost" && values.host !== "::1") {
    io.err(`Warning: listening on ${values.host}, reachable from other machines; the viewer will ask for the key.`);
  }
  const signal = await stop;
  io.out(`\nReceived ${signal}: finishing in-flight requests and closing the database…`);
  await server.close();
  io.out("Stopped.");
  return 0;
}

// `node dist/dev/cli.js` runs the command directly (the `bentolabs` dispatcher imports runDev).
const invokedDirectly = typeof process.argv[1] === "string" && /[\\/]dev[\\/]cli\.(c?js|ts)$/.test(process.argv[1]);
if (invokedDirectly) {
  void runDev(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
