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
