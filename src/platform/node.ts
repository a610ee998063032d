import { AsyncLocalStorage } from "node:async_hooks";
import { createHmac } from "node:crypto";
import { promisify } from "node:util";
import { gzip as gzipCb } from "node:zlib";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { createHttpTransport } from "../export/transport.js";
import type { Platform } from "./types.js";

const gzip = promisify(gzipCb);

/** Node: AsyncLocalStorage, node:http with a keep-alive agent, zlib gzip, beforeExit hooks. */
export const platform: Platform = {
  name: "node",
  asyncContext: true,
  createStorage: () => new AsyncLocalStorage(),
  createContextManager: () => new AsyncLocalStorageContextManager(),
  createTransport: createHttpTransport,
  // Level 1: telemetry JSON is repetitive, so it compresses nearly as well at a third of the CPU.
  gzip: (body) => gzip(body, { level: 1 }),
  hmacSha256: (key, value) => createHmac("sha256", key).update(value, "utf8").digest(),
  defer: (fn) => void setImmediate(fn).unref(),
  unref: (timer) => (timer as { unref?: () => void } | undefined)?.unref?.(),
  onBeforeExit(fn) {
    process.on("beforeExit", fn);
    return () => void process.removeListener("beforeExit", fn);
  },
};
