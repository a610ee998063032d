import { describe, expect, it } from "vitest";
import { runArgs } from "./helpers/child.js";

describe("benchmark script", () => {
  it("runs in quick mode and reports every figure for both contenders", async () => {
    const res = await runArgs(["bench/run.mjs"], { env: { BENCH_QUICK: "1", BENTOLABS_LOG_LEVEL: "error" }, timeoutMs: 60_000 });
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    const report = JSON.parse(res.stdout.trim().split("\n").at(-1)!);
    for (const key of [
      "burst_pct",
      "burst_per_s",
      "hot_pct",
      "trackAi_p50",
      "trackAi_p99",
      "trajectory_p50",
      "trajectory_p99",
      "cpu_per_1k",
      "cpu_per_1k_gzip",
      "loop_p99",
      "heap_down_mb",
    ]) {
      expect(Number.isFinite(report[key].sdk), key).toBe(true);
      expect(Number.isFinite(report[key].raw), key).toBe(true);
    }
    expect(res.stdout).toContain("| trackAi inline p50 (µs) |");
    expect(report.concurrent_pct.sdk).toBe(100);
  });
});
