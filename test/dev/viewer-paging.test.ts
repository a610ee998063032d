import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DevServer, startDevServer } from "../../src/dev/index.js";
import { collectPageErrors, launchChromium } from "../support/browser.js";
import { freshDataDir, otlpBody, postTraces, traceId } from "./helpers.js";
import { bigRun } from "./viewer-seed.js";

// above the viewer's whole-tree limit (2,000): read in pages of 1,000
const SPANS = 2600;

let server: DevServer;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
const requests: string[] = [];

beforeAll(async () => {
  server = await startDevServer({ dataDir: await freshDataDir() });
  const spans = bigRun(70, SPANS);
  for (let i = 0; i < spans.length; i += 1000) expect((await postTraces(server, otlpBody(spans.slice(i, i + 1000)))).status).toBe(200);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  collectPageErrors(page, pageErrors);
  page.on("request", (r) => requests.push(new URL(r.url()).pathname + new URL(r.url()).search));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const node = (name: string) => page.getByTestId("tree-node").filter({ has: page.locator(".name", { hasText: new RegExp(`^${name}$`) }) });

describe("viewer, trajectory larger than one page", () => {
  it("reads the tree a page at a time, loads a span's payloads on click and never asks for the whole tree", async () => {
    await page.goto(`${server.url}/#/runs/${traceId(70)}`);
    const nodes = page.getByTestId("tree-node");
    await expect.poll(() => nodes.count(), { timeout: 15_000 }).toBe(1000);
    expect(await page.getByTestId("search-count").textContent()).toBe(`1000 spans of ${SPANS} shown`);
    expect(await page.getByTestId("trace-facts").textContent()).toContain(`${SPANS} spans`);
    // tree order: the root, its first step, that step's tools
    expect(await nodes.nth(0).locator(".name").textContent()).toBe("batch-eval");
    expect(await nodes.nth(1).locator(".name").textContent()).toBe("step-2");
    expect(await nodes.nth(2).getAttribute("data-depth")).toBe("2");

    // payloads come per span: the panel shows what the page did not carry
    await node("tool-250").click();
    await expect.poll(() => page.getByTestId("panel-output").textContent()).toContain("result 250");

    await page.getByTestId("tree-more").click();
    await expect.poll(() => nodes.count()).toBe(2000);
    await page.getByTestId("tree-more").click();
    await expect.poll(() => nodes.count()).toBe(SPANS);
    expect(await page.getByTestId("tree-more").count()).toBe(0);
    expect(await page.getByTestId("search-count").textContent()).toBe(`${SPANS} spans`);
    // the span of the last page is there, in place, and opens like any other
    await node("tool-2600").click();
    await expect.poll(() => page.getByTestId("panel-output").textContent()).toContain("result 2600");

    // collapsing uses the children counts the pages carry
    const visible = () => page.locator('[data-testid="tree-node"]:not([hidden])').count();
    await page.getByTestId("collapse-all").click();
    expect(await visible()).toBe(1 + Math.ceil((SPANS - 1) / 50));
    await page.getByTestId("expand-all").click();
    expect(await visible()).toBe(SPANS);

    const reads = requests.filter((r) => r.startsWith(`/traces/${traceId(70)}`));
    expect(reads.some((r) => r.includes("/tree"))).toBe(false);
    const pages = reads.filter((r) => r.includes("/nodes"));
    expect(pages.length).toBe(3);
    for (const p of pages) expect(Number(new URL(p, server.url).searchParams.get("limit"))).toBeLessThanOrEqual(1000);
    expect(pageErrors).toEqual([]);
  });
});
