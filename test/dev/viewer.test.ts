import { mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DevServer, startDevServer } from "../../src/dev/index.js";
import { collectPageErrors, launchChromium } from "../support/browser.js";
import { BASE_MS, freshDataDir, otlpBody, otlpSpan, postTraces, traceId } from "./helpers.js";

const ARTIFACTS = fileURLToPath(new URL("../../test-artifacts/dev-viewer/", import.meta.url));

let server: DevServer;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

function turn(i: number, user: string, session: string, fail = false) {
  const start = BASE_MS + i * 60_000;
  const root = i * 10;
  return [
    otlpSpan({
      trace: i,
      span: root,
      name: `support-turn-${i}`,
      startMs: start,
      durationMs: 2400,
      attrs: {
        "gen_ai.user.id": user,
        "gen_ai.conversation.id": session,
        "openinference.span.kind": "agent",
        "input.value": JSON.stringify({ question: `Where is order #${i}?`, locale: "en" }),
        "output.value": `Order #${i} ships tomorrow.`,
      },
    }),
    otlpSpan({
      trace: i,
      span: root + 1,
      parent: root,
      name: "plan",
      startMs: start + 50,
      durationMs: 900,
      attrs: {
        "gen_ai.request.model": "gpt-4o",
        "gen_ai.system": "openai",
        "gen_ai.usage.input_tokens": 120,
        "gen_ai.usage.output_tokens": 40,
        "input.value": JSON.stringify([{ role: "user", content: `Where is order #${i}?` }]),
        "output.value": "call lookup_order",
      },
    }),
    otlpSpan({
      trace: i,
      span: root + 2,
      parent: root,
      name: "lookup_order",
      startMs: start + 1000,
      durationMs: 600,
      status: fail ? 2 : 0,
      message: fail ? "orders API timed out" : undefined,
      attrs: {
        "openinference.span.kind": "tool",
        "input.value": JSON.stringify({ order_id: i }),
        "output.value": JSON.stringify({ status: "shipped", eta_days: 1 }),
      },
    }),
  ];
}

beforeAll(async () => {
  server = await startDevServer({ dataDir: await freshDataDir() });
  const spans = [...turn(1, "alice", "chat-a"), ...turn(2, "bob", "chat-b"), ...turn(3, "alice", "chat-a", true)];
  expect((await postTraces(server, otlpBody(spans))).status).toBe(200);
  await mkdir(ARTIFACTS, { recursive: true });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  collectPageErrors(page, pageErrors);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe("viewer", () => {
  it("lists runs newest first and filters them", async () => {
    await page.goto(server.url);
    const rows = page.getByTestId("run-row");
    await expect.poll(() => rows.count()).toBe(3);
    expect(await rows.first().getAttribute("data-trace-id")).toBe(traceId(3));
    expect(await rows.first().textContent()).toContain("error");
    await page.screenshot({ path: `${ARTIFACTS}runs.png`, fullPage: true });

    await page.locator('input[name="user_id"]').fill("bob");
    await page.getByRole("button", { name: "Filter" }).click();
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().getAttribute("data-trace-id")).toBe(traceId(2));
  });

  it("opens a trajectory as a tree with kinds, timings and a readable input/output panel", async () => {
    await page.goto(`${server.url}/#/runs`);
    await page.getByTestId("run-row").filter({ hasText: "support-turn-3" }).click();
    const nodes = page.getByTestId("tree-node");
    await expect.poll(() => nodes.count()).toBe(3);
    expect(
      await nodes.evaluateAll((els) =>
        els.map((e) => [
          e.getAttribute("data-depth"),
          e.querySelector(".name")?.textContent,
          e.querySelector(".badge")?.textContent,
          e.querySelector(".dur")?.textContent,
        ]),
      ),
    ).toEqual([
      ["0", "support-turn-3", "agent", "2.40 s"],
      ["1", "plan", "LLM", "900 ms"],
      ["1", "lookup_order", "tool", "600 ms"],
    ]);
    // the root is selected first: its JSON input is pretty-printed
    expect(await page.getByTestId("panel-input").textContent()).toBe('{\n  "question": "Where is order #3?",\n  "locale": "en"\n}');
    expect(await page.getByTestId("panel-output").textContent()).toBe("Order #3 ships tomorrow.");

    await nodes.nth(2).click();
    const panel = page.getByTestId("span-panel");
    await expect.poll(() => panel.textContent()).toContain("orders API timed out");
    expect(await page.getByTestId("panel-output").textContent()).toBe('{\n  "status": "shipped",\n  "eta_days": 1\n}');
    await nodes.nth(1).click();
    await expect.poll(() => panel.textContent()).toContain("gpt-4o");
    expect(await panel.textContent()).toContain("120 / 40");
    await page.screenshot({ path: `${ARTIFACTS}trajectory.png`, fullPage: true });
  });

  it("shows each session's turns in order", async () => {
    await page.goto(`${server.url}/#/sessions`);
    const rows = page.getByTestId("session-row");
    await expect.poll(() => rows.count()).toBe(2);
    await rows.filter({ hasText: "chat-a" }).click();
    const turns = page.getByTestId("turn");
    await expect.poll(() => turns.count()).toBe(2);
    const headers = await turns.locator("header").allTextContents();
    expect(headers[0]).toContain("Turn 1 support-turn-1");
    expect(headers[1]).toContain("Turn 2 support-turn-3");
    await page.screenshot({ path: `${ARTIFACTS}session.png`, fullPage: true });
  });

  it("lists users and a user's runs", async () => {
    await page.goto(`${server.url}/#/users`);
    const rows = page.getByTestId("user-row");
    await expect.poll(() => rows.count()).toBe(2);
    await rows.filter({ hasText: "alice" }).locator("a").click();
    await expect.poll(() => page.getByTestId("user-runs").locator("tr").count()).toBe(2);
    await page.screenshot({ path: `${ARTIFACTS}users.png`, fullPage: true });
  });

  it("shows newly arrived runs on refresh, without console errors", async () => {
    await page.goto(`${server.url}/#/runs`);
    const rows = page.getByTestId("run-row");
    await expect.poll(() => rows.count()).toBe(3);
    expect((await postTraces(server, otlpBody(turn(4, "bob", "chat-b")))).status).toBe(200);
    await page.locator("[data-refresh]").click();
    await expect.poll(() => rows.count()).toBe(4);
    expect(await rows.first().getAttribute("data-trace-id")).toBe(traceId(4));
    expect(pageErrors).toEqual([]);
  });
});
