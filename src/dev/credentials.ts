import { randomBytes } from "node:crypto";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";

/** The dev server's identity, generated on first start and persisted in the data dir. */
export interface DevCredentials {
  workspaceId: string;
  apiKey: string;
}

export const DEV_KEY_PREFIX = "bl_pk_dev_";
export const DEV_WORKSPACE_ID = "local";
const FILE = "credentials.json";

function isCredentials(v: unknown): v is DevCredentials {
  const c = v as Partial<DevCredentials> | null;
  return typeof c?.apiKey === "string" && c.apiKey.startsWith(DEV_KEY_PREFIX) && typeof c.workspaceId === "string";
}

/**
 * Load `credentials.json` from the data dir, creating it (mode 0600, dir 0700) with a fresh
 * random `bl_pk_dev_…` key the first time, so the key the user exported keeps working.
 */
export async function loadOrCreateCredentials(dataDir: string): Promise<DevCredentials> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const path = join(dataDir, FILE);
  try {
    const parsed: unknown = JSON.parse(await readFile(path, "utf8"));
    if (isCredentials(parsed)) {
      await chmod(path, 0o600);
      return { workspaceId: parsed.workspaceId, apiKey: parsed.apiKey };
    }
    throw new Error(`${path} is not a dev-server credentials file; move it away to generate a new key`);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  const creds: DevCredentials = { workspaceId: DEV_WORKSPACE_ID, apiKey: DEV_KEY_PREFIX + randomBytes(20).toString("hex") };
  // wx: two servers starting at once never overwrite each other's key
  await writeFile(path, `${JSON.stringify(creds, null, 2)}\n`, { mode: 0o600, flag: "wx" }).catch(async (err) => {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return;
    throw err;
  });
  const stored: unknown = JSON.parse(await readFile(path, "utf8"));
  if (!isCredentials(stored)) throw new Error(`${path} is not a dev-server credentials file`);
  return stored;
}
