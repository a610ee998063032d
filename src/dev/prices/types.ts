/** One model's price, USD per million tokens. `cached_input: null` means the provider has no cache price. */
export interface ModelPrice {
  provider: string;
  model: string;
  input: number;
  output: number;
  cached_input: number | null;
  /** Other exact names of the same model (dated snapshots are matched without listing them). */
  aliases?: string[];
}

/** A dated price table: data, extendable with `bentolabs dev --prices <file>`. */
export interface PriceTable {
  version: string;
  /** The day the prices were read off the providers' pages (YYYY-MM-DD). */
  as_of: string;
  currency: "USD";
  models: ModelPrice[];
}
