import { describe, expect, it } from "vitest";
import type { SpanRow } from "../../src/dev/span-row.js";
import type { WriteItem } from "../../src/dev/store/write.js";
import { WriteQueue } from "../../src/dev/store/write-queue.js";
import { spanId, spanRow, traceId } from "./helpers.js";

const item = (n: number): WriteItem => ({
  rows: [spanRow({ trace_id: traceId(n), span_id: spanId(n) }) as SpanRow],
  receivedAt: new Date(),
  source: `r${n}`,
});
const names = (items: readonly WriteItem[]) => items.map((i) => i.source).join("+");

function deferred() {
  let resolve!: () => void;
  let reject!: (err: Error) => void;
  const promise = new Promise<void>((ok, fail) => ((resolve = ok), (reject = fail)));
  return { promise, resolve, reject };
}

/** A queue whose writes wait until the test releases them; `log` records prepares, writes and jobs in order. */
function harness(opts: { writers?: number; failOn?: string; prepareThrowsOn?: string } = {}) {
  const log: string[] = [];
  const gates: Array<ReturnType<typeof deferred>> = [];
  const queue = new WriteQueue<string>({
    writers: opts.writers,
    prepare: (items) => {
      if (names(items) === opts.prepareThrowsOn) throw new Error("cannot encode");
      log.push(`prepare ${names(items)}`);
      return `encoded ${names(items)}`;
    },
    write: async (items, prepared) => {
      log.push(`write ${names(items)}${prepared ? ` (${prepared})` : ""}`);
      const gate = deferred();
      gates.push(gate);
      await gate.promise;
      if (
        names(items)
          .split("+")
          .includes(opts.failOn ?? "-") &&
        items.length > 1
      )
        throw new Error("group failed");
      if (names(items) === opts.failOn) throw new Error(`${opts.failOn} is bad`);
    },
  });
  const release = async () => {
    gates.shift()!.resolve();
    await new Promise((r) => setImmediate(r));
  };
  return { queue, log, release };
}

describe("write queue", () => {
  it("prepares the next group while the current one is written, and hands it over prepared", async () => {
    const { queue, log, release } = harness();
    const done: string[] = [];
    const write = (n: number) => queue.write(item(n)).then(() => done.push(`r${n}`));
    const all = [write(1), write(2), write(3)];
    // r1 runs; r2 arrives while it runs and is prepared at once; r3 waits for the group after it
    expect(log).toEqual(["prepare r1", "write r1 (encoded r1)", "prepare r2"]);
    expect(queue.idle()).toBe(false);
    await release();
    expect(done).toEqual(["r1"]);
    expect(log.slice(3)).toEqual(["write r2 (encoded r2)", "prepare r3"]);
    await release();
    await release();
    await Promise.all(all);
    expect(done).toEqual(["r1", "r2", "r3"]);
    expect(queue.idle()).toBe(true);
  });

  it("groups the requests that waited behind a prepared group, and runs an exclusive job after the groups before it", async () => {
    const { queue, log, release } = harness();
    const order: string[] = [];
    const writes = [1, 2, 3, 4].map((n) => queue.write(item(n)).then(() => order.push(`r${n}`)));
    const job = queue.exclusive(async () => order.push("job"));
    const after = queue.write(item(5)).then(() => order.push("r5"));
    expect(log).toEqual(["prepare r1", "write r1 (encoded r1)", "prepare r2"]);
    await release();
    // r3 and r4 arrived while r2 was already prepared: together in the next group, the job after them
    expect(log.slice(3)).toEqual(["write r2 (encoded r2)", "prepare r3+r4"]);
    await release();
    await release();
    await job;
    expect(order).toEqual(["r1", "r2", "r3", "r4", "job"]);
    await release();
    await Promise.all([...writes, after]);
    expect(order.at(-1)).toBe("r5");
  });

  it("hands two groups to two writers, and prepares a third", async () => {
    const { queue, log, release } = harness({ writers: 2 });
    const all = [1, 2, 3].map((n) => queue.write(item(n)));
    expect(log).toEqual(["prepare r1", "write r1 (encoded r1)", "prepare r2", "write r2 (encoded r2)", "prepare r3"]);
    await release();
    expect(log.at(-1)).toBe("write r3 (encoded r3)");
    await release();
    await release();
    await Promise.all(all);
  });

  it("retries a failed group request by request, so only the bad request fails", async () => {
    const { queue, log, release } = harness({ failOn: "r3" });
    const results = [1, 2, 3, 4].map((n) =>
      queue.write(item(n)).then(
        () => "ok",
        (e: Error) => e.message,
      ),
    );
    await release(); // r1
    await release(); // r2
    await release(); // r3+r4 fails
    await release(); // r3 alone fails
    await release(); // r4 alone
    expect(await Promise.all(results)).toEqual(["ok", "ok", "r3 is bad", "ok"]);
    // retries are written unprepared (prepare is only ever an optimisation)
    expect(log.filter((l) => l.startsWith("write"))).toEqual([
      "write r1 (encoded r1)",
      "write r2 (encoded r2)",
      "write r3+r4 (encoded r3+r4)",
      "write r3",
      "write r4",
    ]);
  });

  it("writes a group whose preparation threw without it, so the write reports its own error", async () => {
    const { queue, log, release } = harness({ prepareThrowsOn: "r2" });
    const all = [1, 2].map((n) => queue.write(item(n)));
    await release();
    expect(log).toEqual(["prepare r1", "write r1 (encoded r1)", "write r2"]);
    await release();
    await Promise.all(all);
  });
});
