import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runDev } from "../../src/dev/cli.js";
import { costOf, rollUp } from "../../src/dev/cost.js";
import { BUNDLED_PRICES, findPrice, loadPrices, PriceFileError } from "../../src/dev/prices/index.js";

const usage = (
  model: string | null,
  provider: string | null,
  input: number | null,
  output: number | null,
  cached: number | null = null,
) => ({ model, provider, input_tokens: input, output_tokens: output, cached_input_tokens: cached });

describe("price table", () => {
  it("is dated and pins the prices of a few models (USD per million tokens)", () => {
    expect(BUNDLED_PRICES.as_of).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const pin = (provider: string, model: string) => {
      const r = findPrice(BUNDLED_PRICES, { model, provider });
      return r && [r.input, r.cached_input, r.output];
    };
    expect(pin("openai", "gpt-4o")).toEqual([2.5, 1.25, 10]);
    expect(pin("openai", "gpt-4o-mini")).toEqual([0.15, 0.075, 0.6]);
    expect(pin("anthropic", "claude-sonnet-4")).toEqual([3, 0.3, 15]);
    expect(pin("anthropic", "claude-3-5-haiku")).toEqual([0.8, 0.08, 4]);
    expect(pin("google", "gemini-2.0-flash")).toEqual([0.1, 0.025, 0.4]);
  });

  it("matches dated snapshots and canonical provider names but never guesses a variant", () => {
    expect(findPrice(BUNDLED_PRICES, { model: "gpt-4o-2024-08-06", provider: "openai" })?.model).toBe("gpt-4o");
    expect(findPrice(BUNDLED_PRICES, { model: "gpt-4o-mini-2024-07-18", provider: null })?.model).toBe("gpt-4o-mini");
    expect(findPrice(BUNDLED_PRICES, { model: "claude-3-5-haiku-20241022", provider: "anthropic" })?.model).toBe("claude-3-5-haiku");
    expect(findPrice(BUNDLED_PRICES, { model: "models/gemini-2.0-flash-001", provider: "gcp.gemini" })?.model).toBe("gemini-2.0-flash");
    expect(findPrice(BUNDLED_PRICES, { model: "gpt-4o-audio-preview", provider: "openai" })).toBeUndefined();
    expect(findPrice(BUNDLED_PRICES, { model: "gpt-4o", provider: "anthropic" })).toBeUndefined();
    expect(findPrice(BUNDLED_PRICES, { model: "my-finetune", provider: "openai" })).toBeUndefined();
  });
});

describe("cost", () => {
  it("prices input, cached input and output tokens separately", () => {
    const c = costOf(BUNDLED_PRICES, usage("gpt-4o", "openai", 1_000_000, 100_000, 400_000))!;
    expect(c.input_usd).toBeCloseTo(1.5); // 600k uncached × $2.50
    expect(c.cached_input_usd).toBeCloseTo(0.5); // 400k cached × $1.25
    expect(c.output_usd).toBeCloseTo(1); // 100k × $10
    expect(c.usd).toBeCloseTo(3);
    expect(c.priced_as).toBe("openai/gpt-4o");
  });

  it("charges cached tokens at the input price when the model has no cache price", () => {
    expect(costOf(BUNDLED_PRICES, usage("gpt-3.5-turbo", "openai", 1_000_000, 0, 500_000))!.usd).toBeCloseTo(0.5);
  });

  it("gives no cost for unknown models or spans without tokens", () => {
    expect(costOf(BUNDLED_PRICES, usage("mystery-1", "openai", 10, 10))).toBeNull();
    expect(costOf(BUNDLED_PRICES, usage("gpt-4o", "openai", null, null))).toBeNull();
  });

  it("rolls up priced spans and counts the unpriced ones", () => {
    const r = rollUp(BUNDLED_PRICES, [
      usage("gpt-4o", "openai", 1000, 100),
      { ...usage("claude-sonnet-4-20250514", "anthropic", 2000, 200), spans: 2 },
      { ...usage("mystery-1", null, 50, 5), spans: 3 },
      usage(null, null, null, null),
    ]);
    expect(r.cost_usd).toBeCloseTo(0.0035 + 0.009);
    expect(r.unpriced_spans).toBe(3);
    expect(rollUp(BUNDLED_PRICES, [usage("mystery-1", null, 1, 1)])).toEqual({ cost_usd: null, unpriced_spans: 1 });
  });
});

describe("--prices files", () => {
  const file = async (content: string) => {
    const dir = await mkdtemp(join(tmpdir(), "bentolabs-prices-"));
    await writeFile(join(dir, "p.json"), content);
    return join(dir, "p.json");
  };

  it("add models and override bundled rows", async () => {
    const table = await loadPrices(
      await file(
        JSON.stringify({
          as_of: "2026-12-01",
          models: [
            { provider: "openai", model: "gpt-4o", input: 2, output: 8, cached_input: 1 },
            { provider: "vllm", model: "llama-3.1-8b", input: 0.05, output: 0.1 },
          ],
        }),
      ),
    );
    expect(table.version).toBe(`${BUNDLED_PRICES.version}+2026-12-01`);
    expect(findPrice(table, { model: "gpt-4o", provider: "openai" })?.input).toBe(2);
    expect(findPrice(table, { model: "llama-3.1-8b", provider: "vllm" })?.cached_input).toBeNull();
    expect(findPrice(table, { model: "claude-3-haiku", provider: "anthropic" })?.input).toBe(0.25);
  });

  it("are rejected with the row and field that is wrong", async () => {
    await expect(loadPrices(await file('{"models":[{"provider":"openai","model":"x","input":-1,"output":1}]}'))).rejects.toThrow(
      /models\[0\]: "input" must be a non-negative number/,
    );
    await expect(loadPrices(await file("[]"))).rejects.toThrow(/expected a JSON object with a "models" array/);
    await expect(loadPrices(await file("{nope"))).rejects.toBeInstanceOf(PriceFileError);
    await expect(loadPrices("/nonexistent/prices.json")).rejects.toThrow(/cannot read price file/);
  });

  it("stop `bentolabs dev --prices` from starting when malformed (exit 1, naming the field)", async () => {
    const err: string[] = [];
    const bad = await file('{"models":[{"provider":"openai","model":"x","input":"cheap","output":1}]}');
    const code = await runDev(["--port", "0", "--data-dir", join(tmpdir(), "bentolabs-unused"), "--prices", bad], {
      out: () => undefined,
      err: (l) => err.push(l),
    });
    expect(code).toBe(1);
    expect(err.join("\n")).toContain(`bentolabs dev: cannot start: ${bad}: models[0]: "input" must be a non-negative number`);
  });
});
