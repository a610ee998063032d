/** `--output table`: lists as rows and columns, single objects as key/value rows. */

const MAX_CELL = 60;

function cell(v: unknown): string {
  if (v === undefined || v === null) return "";
  const s = typeof v === "string" ? v : JSON.stringify(v);
  const flat = s.replace(/\s+/g, " ");
  return flat.length > MAX_CELL ? `${flat.slice(0, MAX_CELL - 1)}…` : flat;
}

/** Nested objects become dotted columns (`config.base_url`); arrays stay JSON. */
export function flatten(value: Record<string, unknown>, prefix = ""): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === "object" && !Array.isArray(v) && Object.keys(v).length > 0) {
      Object.assign(out, flatten(v as Record<string, unknown>, key));
    } else out[key] = v;
  }
  return out;
}

/** Left-aligned columns with a dashed rule under the header. */
export function grid(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

const isRecord = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v);

/** Render a (masked) response as a text table; `{ items: [...] }` lists are unwrapped. */
export function renderTable(data: unknown): string {
  const list = isRecord(data) && Array.isArray(data.items) ? data.items : data;
  if (Array.isArray(list)) {
    if (list.length === 0) return "(no items)";
    if (!list.every(isRecord))
      return grid(
        ["VALUE"],
        list.map((v) => [cell(v)]),
      );
    const rows = list.map((r) => flatten(r));
    const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
    return grid(
      columns.map((c) => c.toUpperCase()),
      rows.map((r) => columns.map((c) => cell(r[c]))),
    );
  }
  if (isRecord(data)) {
    // Lists of objects inside an object (the doctor's `credentials`) get their own table below.
    const lists = Object.entries(data).filter(([, v]) => Array.isArray(v) && v.length > 0 && v.every(isRecord));
    const rest = Object.fromEntries(Object.entries(data).filter(([k]) => !lists.some(([l]) => l === k)));
    const head = grid(
      ["FIELD", "VALUE"],
      Object.entries(flatten(rest)).map(([k, v]) => [k, cell(v)]),
    );
    return [head, ...lists.map(([k, v]) => `\n${k}:\n${renderTable(v)}`)].join("\n");
  }
  return cell(data);
}
