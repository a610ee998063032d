import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // expect.poll waits for something that will happen (a page rendered, a span delivered); on a
    // loaded 2-core CI machine 1 s (vitest's default) is too short. A poll for a timing promise
    // passes its own timeout.
    expect: { poll: { timeout: 10_000 } },
    pool: "forks",
    env: { BENTOLABS_LOG_LEVEL: "error" },
  },
});
