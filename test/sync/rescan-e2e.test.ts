import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { syntheticRootId } from "../../src/sync/mapping/ids.js";
import { startDevImport } from "./dev-harness.js";
import type { FakeLangfuse } from "./fake-langfuse.js";
import { DATASET_NOW, startFake } from "./helpers.js";
import { childrenBeforeRoot, observation, score, trace } from "./live-project.js";

/**
 * Re-importing a live Langfuse project any number of times yields exactly what one import of its
 * final state yields: `bentolabs dev` importing on its schedule from a fake Langfuse that behaves
 * like the real one (children before root, a root older than the re-scan window, observation-only
 * updates that leave the trace list's `updatedAt` alone, metadata cut at 200 characters on v2
 * unless expanded, scores of each data type), checked through the read API.
 */
const MIN = 60_000;
const HOUR = 60 * MIN;
const T1 = "4f1c2a9e8b7d6c5e3a2f1b0c9d8e7f6a";
const T6 = "3b9f2c6e-71d4-4a85-b0e2-9c4d7f1a6e53";
const T7 = "5d2e8a0c7f1b4396e4a8c2d0b7f5e913";
const LATE = "a1b2c3d4e5f60718293a4b5c6d7e8f90";
const LATE_ROOT = "ab00000000000001";
const LONG = "b2c3d4e5f60718293a4b5c6d7e8f90a1";
const LONG_ROOT = "cd00000000000001";
const QUIET = "c3d4e5f60718293a4b5c6d7e8f90a1b2";
const LONG_TEXT = `${"The customer asked about the delayed parcel. ".repeat(10)}🚚 end`;
const iso = (ms: number) => new Date(ms).toISOString();
/** Starting `bentolabs dev` (embedded PostgreSQL) takes seconds, far more on a loaded machine. */
const STARTUP = 240_000;

type Harness = Awaited<ReturnType<typeof startDevImport>>;
type Json = Record<string, any>;

/** What every run starts with, on both APIs: metadata longer than v2's cut, scores of each data type. */
function seedCommon(fake: FakeLangfuse): () => void {
  fake.data.patchObservation(T7, "1a8e4c6f0d3b7259", {
    metadata: { ...(fake.data.observations[T7]![0]!.metadata as object), transcript: LONG_TEXT, turns: 3 },
  });
  fake.data.addScore(
    T1,
    score(T1, "s-topic", { name: "topic", dataType: "CATEGORICAL", value: 2, stringValue: "shipping", at: DATASET_NOW - 4 * HOUR }),
  );
  fake.data.addScore(
    T1,
    score(T1, "s-review", { name: "review", dataType: "TEXT", value: 0, stringValue: "clear and polite", at: DATASET_NOW - 4 * HOUR }),
  );
  return childrenBeforeRoot(fake.data, LATE, LATE_ROOT, DATASET_NOW - 30 * MIN);
}

const spansOf = (h: Json, traceId: string) => h.spans[traceId] as Json[];
const root = (spans: Json[]) => spans.find((s) => s.parent_span_id === null)!;

for (const mode of ["cloud", "self-hosted-v3"] as const) {
  const v1 = mode === "self-hosted-v3";
  describe(`re-scanning a live Langfuse project (${v1 ? "v1 API, self-hosted v3" : "v2 API, Cloud"})`, () => {
    let fake: FakeLangfuse;
    let dev: Harness;
    let rootArrives: () => void;
    let afterUpdates: Json;

    beforeAll(async () => {
      fake = await startFake(mode);
      rootArrives = seedCommon(fake);
      if (!v1) {
        // a long agent run: its root started five hours ago and is still open
        fake.data.addTrace(trace(LONG, "long-run", DATASET_NOW - 5 * HOUR));
        fake.data.addObservation(
          LONG,
          observation(LONG, LONG_ROOT, { parent: null, name: "long-run", type: "AGENT", start: DATASET_NOW - 5 * HOUR, end: null }),
        );
        fake.data.addObservation(
          LONG,
          observation(LONG, "cd00000000000002", {
            parent: LONG_ROOT,
            name: "step-1",
            start: DATASET_NOW - 5 * HOUR + MIN,
            end: DATASET_NOW - 5 * HOUR + 2 * MIN,
          }),
        );
      } else {
        // a finished run whose last generation is still streaming into Langfuse
        const at = DATASET_NOW - 15 * MIN;
        fake.data.addTrace(trace(QUIET, "quiet-run", at, { output: { ok: true } }));
        fake.data.addObservation(
          QUIET,
          observation(QUIET, "ee00000000000001", { parent: null, name: "quiet-run", start: at, end: at + 10_000, output: { ok: true } }),
        );
        fake.data.addObservation(
          QUIET,
          observation(QUIET, "ee00000000000002", {
            parent: "ee00000000000001",
            name: "answer",
            type: "GENERATION",
            start: at + 1000,
            end: at + 3000,
          }),
        );
      }
      dev = await startDevImport(fake, { overlapMs: (v1 ? 6 : 3) * HOUR });
    }, STARTUP);
    afterAll(async () => {
      await dev?.close();
      await fake?.close();
    });

    it("imports children whose root has not arrived under a synthetic root, metadata whole, scores and metadata keys as attributes", async () => {
      const report = await dev.nextImport();
      expect(report).toMatchObject({ status: "ok", failed: 0, created: v1 ? 9 : 8 });
      const all = await dev.readAll();
      const late = spansOf(all, LATE);
      expect(late).toHaveLength(3);
      expect(root(late)).toMatchObject({ span_id: syntheticRootId(LATE), attributes: { "langfuse.synthetic_root": true } });

      const agent = spansOf(all, T7).find((s) => s.span_id === "1a8e4c6f0d3b7259")!;
      expect(agent.attributes.transcript).toBe(LONG_TEXT);
      expect(agent.attributes["langfuse.observation.metadata"].transcript).toBe(LONG_TEXT);
      expect(agent.attributes.turns).toBe(3);

      const t1 = root(spansOf(all, T1));
      expect(t1.attributes).toMatchObject({
        channel: "web",
        score_helpfulness: 0.9,
        score_user_thumbs_up: 1,
        score_topic: "shipping",
        score_review: "clear and polite",
      });
      expect(t1.user_id).toBe("user_8841");
      if (!v1) {
        expect(fake.requests.some((r) => r.route === "v2" && r.query.get("expandMetadata")?.split(",").includes("transcript"))).toBe(true);
        expect(fake.requests.some((r) => r.route === "scores-v3")).toBe(true);
      }
    });

    it(`picks up ${v1 ? "observation-only updates" : "a late root and a long run's progress"} as updates, replacing each trace's spans with what the mapping now produces`, async () => {
      rootArrives();
      if (!v1) {
        // new work far from the root: the re-scan window holds only this child
        fake.data.addObservation(
          LONG,
          observation(LONG, "cd00000000000003", {
            parent: LONG_ROOT,
            name: "step-2",
            start: DATASET_NOW + 5 * MIN,
            end: DATASET_NOW + 6 * MIN,
          }),
        );
        fake.data.patchObservation(LONG, LONG_ROOT, {
          endTime: iso(DATASET_NOW + 7 * MIN),
          output: JSON.stringify({ done: true }),
          updatedAt: iso(DATASET_NOW + 7 * MIN),
        });
      } else {
        const traceUpdatedAt = fake.data.trace(QUIET)!.updatedAt;
        fake.data.patchObservation(QUIET, "ee00000000000002", { endTime: iso(DATASET_NOW - 15 * MIN + 12_000), output: "late answer" });
        fake.data.patchObservation(T6, "6f1e3a9c-0b7d-4e25-8a64-d2c9f0b1e7a3", { endTime: "2026-08-20T12:05:34.640Z" });
        expect(fake.data.trace(QUIET)!.updatedAt).toBe(traceUpdatedAt); // Langfuse leaves the trace row alone
      }
      const report = await dev.nextImport();
      expect(report).toMatchObject({ status: "ok", created: 0, updated: v1 ? 3 : 2, failed: 0 });
      afterUpdates = await dev.readAll();

      const late = spansOf(afterUpdates, LATE);
      expect(late.map((s) => s.span_id).sort()).toEqual([LATE_ROOT, "c0ffee0000000001", "c0ffee0000000002"].sort());
      expect(late.every((s) => s.parent_span_id === null || s.parent_span_id === LATE_ROOT)).toBe(true);
      expect(afterUpdates.traces.find((t: Json) => t.trace_id === LATE)).toMatchObject({ span_count: 3, root_span_id: LATE_ROOT });
      if (!v1) {
        const long = spansOf(afterUpdates, LONG);
        expect(long).toHaveLength(3);
        expect(root(long)).toMatchObject({ span_id: LONG_ROOT, end_time: iso(DATASET_NOW + 7 * MIN) });
        expect(root(long).attributes["langfuse.span_open"]).toBeUndefined();
      } else {
        const answer = spansOf(afterUpdates, QUIET).find((s) => s.span_id === "ee00000000000002")!;
        expect(answer).toMatchObject({ output: "late answer", end_time: iso(DATASET_NOW - 15 * MIN + 12_000) });
        const t6root = spansOf(afterUpdates, T6.replaceAll("-", "")).find((s) => s.parent_span_id === null)!;
        expect(t6root.end_time).toBe("2026-08-20T12:05:34.640Z");
        expect(t6root.attributes["langfuse.span_open"]).toBeUndefined();
      }
    });

    it("reports zero updates on a steady-state re-scan and answers the read API identically", async () => {
      const report = await dev.nextImport();
      expect(report).toMatchObject({ status: "ok", created: 0, updated: 0, failed: 0 });
      expect(report.skipped).toBeGreaterThan(2);
      expect(await dev.readAll()).toEqual(afterUpdates);
    });

    it(
      "holds exactly what one import of the project's final state holds",
      async () => {
        const fresh = await startDevImport(fake, { initialLookbackMs: 24 * HOUR }, dev.clock.now());
        try {
          expect((await fresh.nextImport()).status).toBe("ok");
          expect(await fresh.readAll()).toEqual(afterUpdates);
        } finally {
          await fresh.close();
        }
      },
      STARTUP,
    );
  });
}
