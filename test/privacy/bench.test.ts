import { describe, expect, it } from "vitest";
import { runArgs } from "../helpers/child.js";

describe("privacy benchmark script", () => {
  it("runs in quick mode and reports the redaction and tracing-off figures", async () => {
    const res = await runArgs(["bench/privacy.mjs"], { env: { BENCH_QUICK: "1", BENTOLABS_LOG_LEVEL: "error" }, timeoutMs: 90_000 });
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    const report = JSON.parse(res.stdout.trim().split("\n").at(-1)!);
    for (const mode of ["off", "all_detectors", "all_detectors_hash", "metadata_only"]) {
      expect(report.redaction_cpu_us_per_span[mode], mode).toBeGreaterThan(0);
    }
    expect(Number.isFinite(report.redaction_ratio_all_detectors)).toBe(true);
    expect(report.disabled_trackAi_ns_p50).toBeGreaterThan(0);
    expect(res.stdout).toContain("| trackAi with enabled: false, p50 (ns) |");
  });
});
