import type { HttpMethod } from "../../api/index.js";
import { readBody } from "../body.js";
import { BODY_FLAGS, type CommandSpec } from "../spec.js";
import { UsageError } from "../usage-error.js";
import { VERSION } from "../version.js";

const METHODS: readonly HttpMethod[] = ["GET", "POST", "PUT", "PATCH", "DELETE"];

/** `bentolabs version` */
export const versionCommand: CommandSpec = {
  name: "version",
  summary: "Print the CLI version",
  positionals: [],
  run: async () => ({ message: `bentolabs ${VERSION}` }),
};

/** `bentolabs raw <METHOD> <PATH>`: any request with the CLI's auth; never reads stdin. */
export const rawCommand: CommandSpec = {
  name: "raw",
  summary: "Send any request to the management API with the CLI's auth (stdin is ignored; use --data or --data-file)",
  positionals: ["METHOD", "PATH"],
  flags: BODY_FLAGS,
  run: async ({ settings, flags, io, args }) => {
    const method = (args.METHOD ?? "").toUpperCase() as HttpMethod;
    if (!METHODS.includes(method)) throw new UsageError(`METHOD must be one of ${METHODS.join(", ")} (got ${JSON.stringify(args.METHOD)})`);
    const path = args.PATH ?? "";
    if (!path.startsWith("/"))
      throw new UsageError(`PATH must start with "/" (got ${JSON.stringify(path)}), e.g. /workspaces/ws_123/credentials`);
    const body = await readBody(flags, io, { allowStdin: false });
    const res = await settings.client().request({ method, path, body, expect: "any" });
    return res.body === undefined ? { message: `HTTP ${res.status} (no body)` } : { data: res.body };
  },
};
