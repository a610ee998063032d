import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { DevApi, DevApiError } from "./api-client.js";
import { TOOLS, ToolInputError } from "./tools.js";

const USAGE = `Usage: bentolabs mcp [--url http://127.0.0.1:8080] [--api-key bl_pk_dev_…] [--data-dir ./.bentolabs]

An MCP server on stdio that lets a coding agent (Claude Code, Cursor, …) list, search and open the runs
stored by a running \`bentolabs dev\`. The key comes from --api-key, BENTOLABS_API_KEY, or <data-dir>/credentials.json.
Needs the @modelcontextprotocol/sdk package (npm install @modelcontextprotocol/sdk).`;

async function devKey(dataDir: string): Promise<string | undefined> {
  try {
    return (JSON.parse(await readFile(join(resolve(dataDir), "credentials.json"), "utf8")) as { apiKey?: string }).apiKey;
  } catch {
    return undefined;
  }
}

/**
 * `bentolabs mcp`: serve the dev server's runs to an MCP client over stdio until stdin closes.
 * stdout carries the protocol only; messages go to stderr. Returns the exit code.
 */
export async function runMcp(argv: string[], io = { err: (l: string) => console.error(l) }): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        url: { type: "string" },
        "api-key": { type: "string" },
        "data-dir": { type: "string", default: "./.bentolabs" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    }));
  } catch (err) {
    io.err(`${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) return (io.err(USAGE), 0);
  const baseUrl = values.url ?? process.env.BENTOLABS_BASE_URL ?? "http://127.0.0.1:8080";
  const apiKey = values["api-key"] ?? process.env.BENTOLABS_API_KEY ?? (await devKey(values["data-dir"]!));
  if (!apiKey) {
    io.err(
      `bentolabs mcp: no API key: pass --api-key, set BENTOLABS_API_KEY, or use --data-dir pointing at the dev server's .bentolabs directory.`,
    );
    return 2;
  }
  let sdk;
  try {
    // loaded only here: SDK users who never run `bentolabs mcp` do not need the package
    const [server, stdio, types] = await Promise.all([
      import("@modelcontextprotocol/sdk/server/index.js"),
      import("@modelcontextprotocol/sdk/server/stdio.js"),
      import("@modelcontextprotocol/sdk/types.js"),
    ]);
    sdk = { ...server, ...stdio, ...types };
  } catch {
    io.err(
      "bentolabs mcp needs the @modelcontextprotocol/sdk package: run `npm install @modelcontextprotocol/sdk` (or use npx -p @modelcontextprotocol/sdk -p @bentolabs/sdk bentolabs mcp).",
    );
    return 1;
  }
  const api = new DevApi({ baseUrl, apiKey });
  const server = new sdk.Server({ name: "bentolabs-dev", version: "0.1.0" }, { capabilities: { tools: {} } });
  server.setRequestHandler(sdk.ListToolsRequestSchema, async () => ({
    tools: TOOLS.map(({ name, description, inputSchema }) => ({ name, description, inputSchema })),
  }));
  server.setRequestHandler(sdk.CallToolRequestSchema, async (req) => {
    const tool = TOOLS.find((t) => t.name === req.params.name);
    if (!tool)
      return {
        isError: true,
        content: [{ type: "text", text: `Unknown tool ${req.params.name}; tools: ${TOOLS.map((t) => t.name).join(", ")}.` }],
      };
    try {
      return { content: [{ type: "text", text: await tool.run(api, (req.params.arguments ?? {}) as Record<string, unknown>) }] };
    } catch (err) {
      if (err instanceof ToolInputError || err instanceof DevApiError)
        return { isError: true, content: [{ type: "text", text: err.message }] };
      throw err;
    }
  });
  const closed = new Promise<void>((ok) => (server.onclose = () => ok()));
  await server.connect(new sdk.StdioServerTransport());
  await closed;
  return 0;
}

const invokedDirectly = typeof process.argv[1] === "string" && /[\\/]mcp[\\/]cli\.(c?js|ts)$/.test(process.argv[1]);
if (invokedDirectly) void runMcp(process.argv.slice(2)).then((code) => (process.exitCode = code));
