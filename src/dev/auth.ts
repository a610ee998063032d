import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { HttpError } from "./http.js";

const digest = (s: string) => createHash("sha256").update(s).digest();

/**
 * Check `Authorization: Bearer <key>` against the dev key in constant time. Throws a 401
 * `HttpError` whose message never echoes what was sent.
 */
export function requireBearer(req: IncomingMessage, apiKey: string): void {
  const header = req.headers.authorization;
  if (!header) {
    throw new HttpError(401, "unauthorized", "Missing Authorization header: send `Authorization: Bearer <BENTOLABS_API_KEY>`.");
  }
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match?.[1]) throw new HttpError(401, "unauthorized", "Authorization header must be `Bearer <BENTOLABS_API_KEY>`.");
  if (!timingSafeEqual(digest(match[1]), digest(apiKey))) {
    throw new HttpError(401, "unauthorized", "Invalid API key: use the bl_pk_dev_… key printed by `bentolabs dev`.");
  }
}
