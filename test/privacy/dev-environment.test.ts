import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as bento from "../../src/index.js";
import { startDevServer, type DevServer } from "../../src/dev/index.js";
import { freshDataDir, getJson } from "../dev/helpers.js";

let server: DevServer;
beforeAll(async () => {
  server = await startDevServer({ dataDir: await freshDataDir() });
});
afterAll(async () => {
  await bento.shutdown();
  await server?.close();
});

async function emit(environment: string, release: string, event: string): Promise<string> {
  bento.init({ apiKey: server.apiKey, baseUrl: server.url, environment, release });
  const id = bento.trackAi({ event });
  expect((await bento.shutdown()).ok).toBe(true);
  return id;
}

const names = async (query: string) =>
  (await getJson(server, `/workspaces/${server.workspaceId}/traces${query}`)).body.items.map((t: { name: string }) => t.name).sort();

describe("dev server: environment and release", () => {
  it("stores them on each span and filters runs by them", async () => {
    const id = await emit("staging", "1.0.0", "staging-run");
    await emit("production", "1.0.0", "prod-v1");
    await emit("production", "2.0.0", "prod-v2");
    const span = (await getJson(server, `/spans/${id}`)).body;
    expect(span.resource).toMatchObject({ "deployment.environment.name": "staging", "service.version": "1.0.0" });
    expect(await names("?environment=production")).toEqual(["prod-v1", "prod-v2"]);
    expect(await names("?release=1.0.0")).toEqual(["prod-v1", "staging-run"]);
    expect(await names("?environment=production&release=2.0.0")).toEqual(["prod-v2"]);
    expect(await names("?environment=nowhere")).toEqual([]);
  });
});
