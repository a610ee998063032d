import { createHash } from "node:crypto";

const sha = (s: string) => createHash("sha256").update(s, "utf8").digest("hex");
const HEX32 = /^[0-9a-f]{32}$/;
const HEX16 = /^[0-9a-f]{16}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** OTel trace id for a Langfuse trace id: 32-hex as is, UUID without dashes, else a stable hash. */
export function toTraceId(id: string): string {
  const lower = id.toLowerCase();
  if (HEX32.test(lower)) return lower;
  if (UUID.test(lower)) return lower.replaceAll("-", "");
  return sha(`langfuse-trace:${id}`).slice(0, 32);
}

/** OTel span id for a Langfuse observation id: 16-hex as is, else a stable hash. */
export function toSpanId(id: string): string {
  const lower = id.toLowerCase();
  return HEX16.test(lower) ? lower : sha(`langfuse-observation:${id}`).slice(0, 16);
}

/** Span id of the root synthesized for traces with zero or several parentless observations. */
export function syntheticRootId(traceId: string): string {
  return sha(`langfuse-trace-root:${traceId}`).slice(0, 16);
}
