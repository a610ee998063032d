import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import type { DetectorName } from "./detectors.js";

/** What the `redact` hook gets besides the value. */
export interface RedactContext {
  /** The attribute key (`input.value`, `gen_ai.user.id`, an event attribute's key, …). */
  readonly key: string;
  /** The span being exported, before redaction. Read-only: it may be shared with other exporters. */
  readonly span: ReadableSpan;
  /** For an event attribute, the event's name (`exception`, …); undefined for span attributes. */
  readonly event?: string;
  /** For a link attribute, true. */
  readonly link?: boolean;
  /** A stable keyed pseudonym of `value` (`hmac_…`); needs `redaction.hashKey`, else returns a marker. */
  hash(value: string): string;
}

/**
 * Called for every string attribute value (and every string inside a string array) of every
 * exported span, its events and its links. Return the value to send, or `undefined` to drop the
 * key. A hook that throws replaces the value with `[REDACTED:hook_error]`: the raw value is never sent.
 *
 * @example
 * bento.init({ redact: (value, { key, hash }) => (key === "gen_ai.user.id" ? hash(value) : value) });
 */
export type RedactHook = (value: string, context: RedactContext) => string | undefined;

/** What a built-in detector does with what it finds. */
export type RedactionMode = "replace" | "hash" | "drop";

export interface RedactionOptions {
  /** Built-in detectors to run, by name, or "all". Default: none. Env: `BENTOLABS_REDACT=email,phone,card,secret` (or `all`). */
  detectors?: readonly DetectorName[] | "all";
  /**
   * `replace` (default): `[REDACTED:email]`; `hash`: `[REDACTED:email:hmac_…]`, stable for the same
   * value and key so a redacted user id still groups; `drop`: the whole attribute is removed.
   * Env: `BENTOLABS_REDACT_MODE`.
   */
  mode?: RedactionMode;
  /** HMAC key for `hash` mode and `context.hash()`. Env: `BENTOLABS_REDACT_HASH_KEY`. */
  hashKey?: string;
}

/** Privacy options shared by `init()`, `BentoSpanProcessor` and `BentoTraceExporter`. */
export interface PrivacyOptions {
  /** Your own redaction, applied at export to every string attribute of every span (see {@link RedactHook}). */
  redact?: RedactHook;
  /** Built-in detectors for emails, phone numbers, card numbers (Luhn-checked) and secrets. */
  redaction?: RedactionOptions;
  /**
   * `false` sends metadata only: input/output values and message contents are dropped, span names,
   * models, token counts and timings are kept. Default true. Env: `BENTOLABS_CAPTURE_CONTENT=false`.
   */
  captureContent?: boolean;
}

/** One finished run, as the `keep` rule sees it. */
export interface SampledRun {
  /** The run's root span (a trajectory, or a span without a local parent). */
  readonly root: ReadableSpan;
  /** Every span of the run that has ended, the root included. */
  readonly spans: readonly ReadableSpan[];
  /** True when any span of the run has status ERROR. */
  readonly hasError: boolean;
}

export interface SamplingOptions {
  /**
   * Fraction of runs (trajectories) sent, 0–1, decided from the trace id so that every span of a
   * run is kept or dropped together. Default 1 (all). Env: `BENTOLABS_SAMPLE_RATE`.
   */
  sampleRate?: number;
  /**
   * Decides, when a sampled-out run's root ends, whether to send it anyway. Default: keep runs with
   * an error (`run => run.hasError`). It can only rescue runs, never drop sampled-in ones.
   *
   * @example
   * bento.init({ sampleRate: 0.1, keep: (run) => run.hasError || run.spans.length > 20 });
   */
  keep?: (run: SampledRun) => boolean;
  /** Spans of sampled-out runs held while their root is open. Default 10000. */
  maxBufferedSpans?: number;
}
