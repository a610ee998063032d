import { describe, expect, it } from "vitest";
import {
  BentoValidationError,
  parseJsonBody,
  SOURCE_TYPES,
  validateCredentialCreate,
  validateDate,
  validateFrequencyMinutes,
  validateMaxTracesPerSync,
  validateNextRunAt,
  validateScheduleEnabled,
  validateSyncSettingsUpdate,
} from "../../src/api/index.js";

const SECRET = "sk-lf-never-in-a-message-77";
const config = { public_key: "pk-lf-1", secret_key: SECRET, base_url: "https://cloud.langfuse.com" };

function error(fn: () => unknown): BentoValidationError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(BentoValidationError);
    expect((e as Error).message).not.toContain(SECRET);
    return e as BentoValidationError;
  }
  throw new Error("expected a BentoValidationError");
}

describe("validation helpers", () => {
  it("accepts a complete langfuse credential", () => {
    expect(validateCredentialCreate({ source_type: "langfuse", config })).toEqual({ source_type: "langfuse", config });
  });

  it("leaves the list of source types to the server unless told which are supported", () => {
    expect(validateCredentialCreate({ source_type: "otel", config: { endpoint: "x" } })).toEqual({
      source_type: "otel",
      config: { endpoint: "x" },
    });
    expect(error(() => validateCredentialCreate({ source_type: "otel", config }, { supported: SOURCE_TYPES }))).toMatchObject({
      field: "source_type",
      allowed: '"langfuse"',
    });
    expect(error(() => validateCredentialCreate({ source_type: "", config }))).toMatchObject({ field: "source_type" });
    expect(error(() => validateCredentialCreate({ source_type: "otel", config: "x" }))).toMatchObject({ field: "config" });
  });

  it("checks next_run_at's shape only (the server judges past and future)", () => {
    expect(validateSyncSettingsUpdate({ next_run_at: "2020-01-01T00:00:00Z" })).toEqual({ next_run_at: "2020-01-01T00:00:00Z" });
    expect(validateNextRunAt("2026-12-01")).toBe("2026-12-01");
    expect(validateNextRunAt("2026-12-01T09:30:00.250+01:00")).toBe("2026-12-01T09:30:00.250+01:00");
    for (const bad of ["tomorrow", "2026-12-01T09:30:00", "2026-13-01T00:00:00Z", 1767225600000, null]) {
      expect(error(() => validateSyncSettingsUpdate({ next_run_at: bad }))).toMatchObject({ field: "next_run_at", code: "invalid_value" });
    }
  });

  it("names the field and allowed values", () => {
    expect(error(() => validateCredentialCreate({ source_type: "langfuse", config: { ...config, secret_key: "" } }))).toMatchObject({
      field: "config.secret_key",
      code: "invalid_value",
    });
    expect(
      error(() => validateCredentialCreate({ source_type: "langfuse", config: { public_key: "p", secret_key: SECRET } })),
    ).toMatchObject({ field: "config.base_url", code: "missing_field" });
    expect(error(() => validateCredentialCreate({ source_type: "langfuse", config: SECRET }))).toMatchObject({ field: "config" });
    expect(error(() => validateCredentialCreate([]))).toMatchObject({ field: "body" });
  });

  it("enforces the sync ranges at their edges", () => {
    expect(validateFrequencyMinutes(15)).toBe(15);
    expect(validateFrequencyMinutes(10080)).toBe(10080);
    expect(error(() => validateFrequencyMinutes(14))).toMatchObject({ allowed: "an integer from 15 to 10080" });
    expect(error(() => validateFrequencyMinutes("60"))).toMatchObject({ field: "frequency_minutes" });
    expect(validateMaxTracesPerSync(5000)).toBe(5000);
    expect(validateMaxTracesPerSync(10000)).toBe(10000);
    expect(error(() => validateMaxTracesPerSync(10000.5))).toMatchObject({ field: "max_traces_per_sync" });
    expect(validateScheduleEnabled(false)).toBe(false);
    expect(error(() => validateScheduleEnabled(1))).toMatchObject({ allowed: "true, false" });
  });

  it("accepts only settable fields in a settings patch", () => {
    expect(validateSyncSettingsUpdate({ max_traces_per_sync: 7000 })).toEqual({ max_traces_per_sync: 7000 });
    expect(error(() => validateSyncSettingsUpdate({ frequency: 60 }))).toMatchObject({ code: "unknown_field", field: "frequency" });
  });

  it("accepts dates and ISO timestamps only", () => {
    expect(validateDate("2026-11-21", "from-date")).toBe("2026-11-21");
    expect(validateDate("2026-11-21T10:00:00+02:00", "to-date")).toBe("2026-11-21T10:00:00+02:00");
    expect(error(() => validateDate("yesterday", "from-date"))).toMatchObject({ field: "from-date" });
    expect(error(() => validateDate("2026-13-45", "from-date"))).toMatchObject({ field: "from-date" });
  });

  it("reports invalid JSON with its source", () => {
    expect(error(() => parseJsonBody("{", "--data"))).toMatchObject({ code: "invalid_json", field: "--data" });
  });
});
