import { spawn } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeApi, startFakeApi } from "../support/fake-bento-api.js";
import { CLI, tempHome } from "../support/run-cli.js";
import { API_KEY } from "../support/secrets.js";

/**
 * `auth login` at a real terminal: util-linux `script` gives the CLI a pseudo-terminal, and the
 * test types into it like a user. Everything the terminal showed is in the transcript, so a key
 * echoed by the terminal (or printed by the CLI) would be caught.
 */
function atTerminal(home: string, baseUrl: string, keystrokes: (typed: (text: string) => void) => Promise<void>) {
  const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} auth login`;
  const env = { PATH: process.env.PATH ?? "", HOME: home, XDG_CONFIG_HOME: join(home, "xdg"), BENTOLABS_BASE_URL: baseUrl, TERM: "dumb" };
  const child = spawn("script", ["-qec", command, "/dev/null"], { env, stdio: ["pipe", "pipe", "pipe"] });
  let transcript = "";
  child.stdout.on("data", (d: Buffer) => (transcript += d.toString()));
  child.stderr.on("data", (d: Buffer) => (transcript += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  const prompted = (async () => {
    const deadline = Date.now() + 20_000;
    while (!transcript.includes("(input hidden): ")) {
      if (Date.now() > deadline) throw new Error(`no prompt; terminal showed: ${transcript}`);
      await new Promise((r) => setTimeout(r, 25));
    }
    await keystrokes((text) => child.stdin.write(text));
  })();
  return { done: Promise.all([prompted, exited]).then(([, code]) => ({ code, transcript })) };
}

describe("auth login at a terminal", () => {
  let api: FakeApi;
  beforeAll(async () => {
    api = await startFakeApi({ token: API_KEY });
  });
  afterAll(() => api.close());

  it("prompts without echoing the key, checks it, and saves it 0600", { timeout: 60_000 }, async () => {
    const home = tempHome();
    const { done } = atTerminal(home, api.url, async (type) => {
      // a typo fixed with Backspace, then Enter
      type(`${API_KEY}x`);
      type("\x7f");
      type("\r");
    });
    const { code, transcript } = await done;
    expect(code, transcript).toBe(0);
    expect(transcript).toContain("Bento API key (input hidden): ");
    expect(transcript).toContain("Logged in as ci key (workspaces: ws_1, ws_123)");
    expect(transcript).not.toContain(API_KEY);
    expect(transcript).not.toContain(API_KEY.slice(6, 20));
    const file = join(home, "xdg", "bentolabs", "config.json");
    expect(JSON.parse(readFileSync(file, "utf8")).token).toBe(API_KEY);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(api.requests.at(-1)).toMatchObject({ path: "/auth/whoami", authorization: `Bearer ${API_KEY}` });
  });

  it("cancels on Ctrl-C without saving (exit 2)", { timeout: 60_000 }, async () => {
    const home = tempHome();
    const { done } = atTerminal(home, api.url, async (type) => type("bl_pk_partial\x03"));
    const { code, transcript } = await done;
    expect(code, transcript).toBe(2);
    expect(transcript).toContain("Cancelled: no token was saved.");
    expect(transcript).not.toContain("bl_pk_partial");
    expect(() => statSync(join(home, "xdg", "bentolabs", "config.json"))).toThrow();
  });
});
