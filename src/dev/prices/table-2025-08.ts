import type { PriceTable } from "./types.js";

/**
 * Bundled model prices, USD per million tokens, as published on the providers' pricing pages
 * (openai.com/api/pricing, anthropic.com/pricing, ai.google.dev/pricing) on `as_of`. Standard
 * (non-batch) tier; Gemini rows are the ≤200k-token prompt tier. `cached_input` is the price of
 * a prompt-cache read (OpenAI "cached input", Anthropic "cache hits", Gemini "context caching").
 * Never edit a shipped row to a new price: add a new dated table and point `BUNDLED_PRICES` at it.
 */
export const PRICES_2025_08: PriceTable = {
  version: "2025-08-15",
  as_of: "2025-08-15",
  currency: "USD",
  models: [
    // OpenAI
    { provider: "openai", model: "gpt-5", input: 1.25, output: 10, cached_input: 0.125 },
    { provider: "openai", model: "gpt-5-mini", input: 0.25, output: 2, cached_input: 0.025 },
    { provider: "openai", model: "gpt-5-nano", input: 0.05, output: 0.4, cached_input: 0.005 },
    { provider: "openai", model: "gpt-4.1", input: 2, output: 8, cached_input: 0.5 },
    { provider: "openai", model: "gpt-4.1-mini", input: 0.4, output: 1.6, cached_input: 0.1 },
    { provider: "openai", model: "gpt-4.1-nano", input: 0.1, output: 0.4, cached_input: 0.025 },
    { provider: "openai", model: "gpt-4o", input: 2.5, output: 10, cached_input: 1.25 },
    { provider: "openai", model: "gpt-4o-mini", input: 0.15, output: 0.6, cached_input: 0.075 },
    { provider: "openai", model: "o3", input: 2, output: 8, cached_input: 0.5 },
    { provider: "openai", model: "o4-mini", input: 1.1, output: 4.4, cached_input: 0.275 },
    { provider: "openai", model: "o3-mini", input: 1.1, output: 4.4, cached_input: 0.55 },
    { provider: "openai", model: "o1", input: 15, output: 60, cached_input: 7.5 },
    { provider: "openai", model: "gpt-4-turbo", input: 10, output: 30, cached_input: null },
    { provider: "openai", model: "gpt-3.5-turbo", input: 0.5, output: 1.5, cached_input: null },
    { provider: "openai", model: "text-embedding-3-small", input: 0.02, output: 0, cached_input: null },
    { provider: "openai", model: "text-embedding-3-large", input: 0.13, output: 0, cached_input: null },
    // Anthropic
    { provider: "anthropic", model: "claude-opus-4-1", input: 15, output: 75, cached_input: 1.5 },
    { provider: "anthropic", model: "claude-opus-4", input: 15, output: 75, cached_input: 1.5, aliases: ["claude-opus-4-0"] },
    { provider: "anthropic", model: "claude-sonnet-4", input: 3, output: 15, cached_input: 0.3, aliases: ["claude-sonnet-4-0"] },
    { provider: "anthropic", model: "claude-3-7-sonnet", input: 3, output: 15, cached_input: 0.3 },
    { provider: "anthropic", model: "claude-3-5-sonnet", input: 3, output: 15, cached_input: 0.3 },
    { provider: "anthropic", model: "claude-3-5-haiku", input: 0.8, output: 4, cached_input: 0.08 },
    { provider: "anthropic", model: "claude-3-haiku", input: 0.25, output: 1.25, cached_input: 0.03 },
    { provider: "anthropic", model: "claude-3-opus", input: 15, output: 75, cached_input: 1.5 },
    // Google (Gemini API)
    { provider: "google", model: "gemini-2.5-pro", input: 1.25, output: 10, cached_input: 0.31 },
    { provider: "google", model: "gemini-2.5-flash", input: 0.3, output: 2.5, cached_input: 0.075 },
    { provider: "google", model: "gemini-2.0-flash", input: 0.1, output: 0.4, cached_input: 0.025 },
  ],
};
