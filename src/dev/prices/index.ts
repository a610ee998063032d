import { readFile } from "node:fs/promises";
import { canonicalProvider } from "../../attributes/provider.js";
import { PRICES_2025_08 } from "./table-2025-08.js";
import type { ModelPrice, PriceTable } from "./types.js";

export type { ModelPrice, PriceTable } from "./types.js";

/** The price table shipped with this version of the SDK. */
export const BUNDLED_PRICES: PriceTable = PRICES_2025_08;

/** A dated snapshot of a listed model: `gpt-4o-2024-08-06`, `claude-3-5-haiku-20241022`, `gemini-2.0-flash-001`, `…-latest`. */
const SNAPSHOT = /^-(\d{4}-\d{2}-\d{2}|\d{8}|\d{3}|latest)$/;

function names(row: ModelPrice): string[] {
  return [row.model, ...(row.aliases ?? [])].map((n) => n.toLowerCase());
}

function matches(row: ModelPrice, model: string): boolean {
  return names(row).some((n) => model === n || (model.startsWith(n) && SNAPSHOT.test(model.slice(n.length))));
}

/**
 * The price of `model` (from `provider`, when known), or undefined. Only the listed names and
 * their dated snapshots match: `gpt-4o-audio-preview` is not priced as `gpt-4o`, because a wrong
 * price is worse than none. Without a provider, a model listed by several providers at different
 * prices is unpriced.
 *
 * @example
 * findPrice(BUNDLED_PRICES, { model: "gpt-4o-2024-08-06", provider: "openai" })?.input; // 2.5
 */
export function findPrice(table: PriceTable, q: { model: string | null; provider: string | null }): ModelPrice | undefined {
  if (!q.model) return undefined;
  const model = q.model
    .trim()
    .toLowerCase()
    .replace(/^models\//, "");
  const provider = q.provider ? canonicalProvider(q.provider) : undefined;
  const found = table.models.filter((r) => (!provider || r.provider === provider) && matches(r, model));
  if (found.length === 0) return undefined;
  // the most specific name wins (an exact name before a snapshot of a shorter name)
  found.sort((a, b) => Number(names(b).includes(model)) - Number(names(a).includes(model)) || b.model.length - a.model.length);
  const best = found[0]!;
  const ambiguous = found.some((r) => r.provider !== best.provider && (r.input !== best.input || r.output !== best.output));
  return ambiguous ? undefined : best;
}

/** Rows of `extra` replace same-provider-and-model rows of `base`; new rows are added. */
export function mergePrices(base: PriceTable, extra: PriceTable): PriceTable {
  const key = (r: ModelPrice) => `${r.provider}\u0000${r.model.toLowerCase()}`;
  const replaced = new Set(extra.models.map(key));
  return {
    version: `${base.version}+${extra.version}`,
    // biome-ignore lint/complexity/useMathMinMax: ISO dates compare as strings
    as_of: extra.as_of > base.as_of ? extra.as_of : base.as_of,
    currency: "USD",
    models: [...extra.models, ...base.models.filter((r) => !replaced.has(key(r)))],
  };
}

/** A malformed `--prices` file: the message names the file, the row and the field. */
export class PriceFileError extends Error {
  override readonly name = "PriceFileError";
  readonly code = "invalid_price_file";
}

function price(v: unknown, where: string, field: string, nullable: boolean): number | null {
  if (v === undefined || v === null) {
    if (nullable) return null;
  } else if (typeof v === "number" && Number.isFinite(v) && v >= 0) return v;
  throw new PriceFileError(
    `${where}: "${field}" must be a non-negative number of USD per million tokens${nullable ? " (or null)" : ""}, got ${JSON.stringify(v)}`,
  );
}

/** Validate a parsed price file (`{ "version"?, "as_of"?, "models": [{ provider, model, input, output, cached_input? }] }`). */
export function parsePriceTable(data: unknown, source: string): PriceTable {
  const obj = data as { version?: unknown; as_of?: unknown; models?: unknown };
  if (typeof obj !== "object" || obj === null || !Array.isArray(obj.models)) {
    throw new PriceFileError(
      `${source}: expected a JSON object with a "models" array, e.g. {"as_of":"2026-01-01","models":[{"provider":"openai","model":"my-model","input":1,"output":2,"cached_input":0.5}]}`,
    );
  }
  const models = obj.models.map((row: unknown, i: number): ModelPrice => {
    const r = row as Record<string, unknown>;
    const where = `${source}: models[${i}]`;
    if (typeof r !== "object" || r === null) throw new PriceFileError(`${where} is not an object`);
    if (typeof r.model !== "string" || r.model === "") throw new PriceFileError(`${where}: "model" must be a non-empty string`);
    if (typeof r.provider !== "string" || r.provider === "")
      throw new PriceFileError(`${where}: "provider" must be a non-empty string such as "openai"`);
    const aliases = Array.isArray(r.aliases) ? r.aliases.filter((a): a is string => typeof a === "string") : undefined;
    return {
      provider: canonicalProvider(r.provider),
      model: r.model,
      input: price(r.input, where, "input", false)!,
      output: price(r.output, where, "output", false)!,
      cached_input: price(r.cached_input, where, "cached_input", true),
      ...(aliases ? { aliases } : {}),
    };
  });
  const asOf = typeof obj.as_of === "string" ? obj.as_of : "custom";
  return { version: typeof obj.version === "string" ? obj.version : asOf, as_of: asOf, currency: "USD", models };
}

/** The bundled table extended by a user's JSON file (`bentolabs dev --prices <file>`). */
export async function loadPrices(file?: string): Promise<PriceTable> {
  if (!file) return BUNDLED_PRICES;
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    throw new PriceFileError(`cannot read price file ${file}: ${(err as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new PriceFileError(`${file} is not valid JSON: ${(err as Error).message}`);
  }
  return mergePrices(BUNDLED_PRICES, parsePriceTable(data, file));
}
