import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import * as bento from "../../src/index.js";
import { Receiver, TEST_KEY } from "./receiver.js";

/** One real receiver per test file; the SDK is initialized against it before each test. */
export function useReceiver(initOptions: bento.InitOptions = {}): { receiver: Receiver; flush: () => Promise<Receiver> } {
  const receiver = new Receiver();
  beforeAll(async () => {
    await receiver.start();
  });
  beforeEach(() => {
    bento.init({ apiKey: TEST_KEY, baseUrl: receiver.url, ...initOptions });
  });
  afterEach(async () => {
    await bento.shutdown();
    receiver.reset();
  });
  afterAll(async () => {
    await receiver.stop();
  });
  return {
    receiver,
    async flush() {
      await bento.flush();
      return receiver;
    },
  };
}

/** Start a local server (fake OpenAI, fake Anthropic…) for this file; `ready` gets it once it listens. */
export function useLocalServer<S extends { close(): unknown }>(start: () => Promise<S>, ready: (server: S) => void): void {
  let server: S | undefined;
  beforeAll(async () => {
    server = await start();
    ready(server);
  });
  afterAll(async () => {
    await server?.close();
  });
}

/**
 * Flush until `done(receiver)` holds. A streamed LLM call's span ends when the instrumentation's
 * own branch of the stream is read, which can be a little after the caller's.
 */
export async function flushUntil(
  flush: () => Promise<Receiver>,
  done: (r: Receiver) => boolean,
  what = "the expected spans",
): Promise<Receiver> {
  for (let i = 0; i < 100; i++) {
    const r = await flush();
    if (done(r)) return r;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}
