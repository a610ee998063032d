/** Thrown when the dev server cannot be reached or answers with an error; the message says what to do. */
export class DevApiError extends Error {
  override readonly name = "DevApiError";
}

export interface DevApiOptions {
  /** The dev server, e.g. `http://127.0.0.1:8080`. */
  baseUrl: string;
  apiKey: string;
  /** Injectable for tests; defaults to global fetch. */
  fetch?: typeof fetch;
}

/**
 * A small client of the dev server's read API (the same routes as the Bento platform's), used by
 * `bentolabs mcp`. Reading over HTTP (not opening the database) works while `bentolabs dev` holds the
 * embedded database, and with `--database-url` stores alike.
 */
export class DevApi {
  constructor(private readonly opts: DevApiOptions) {}

  get workspacePath(): string {
    return "/workspaces/local";
  }

  async get<T = any>(path: string, query: Record<string, string | number | undefined> = {}): Promise<T> {
    const url = new URL(path, this.opts.baseUrl);
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== "") url.searchParams.set(k, String(v));
    let res: Response;
    try {
      res = await (this.opts.fetch ?? fetch)(url, { headers: { authorization: `Bearer ${this.opts.apiKey}` } });
    } catch (cause) {
      throw new DevApiError(
        `No Bento dev server answers at ${this.opts.baseUrl}: start it with \`npx bentolabs dev\` (or pass --url / set BENTOLABS_BASE_URL).`,
        { cause },
      );
    }
    const text = await res.text();
    let body: any;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    if (res.status === 401) {
      throw new DevApiError(
        `The dev server at ${this.opts.baseUrl} refused the API key: pass --api-key, set BENTOLABS_API_KEY, or run from the directory holding .bentolabs/.`,
      );
    }
    if (!res.ok) throw new DevApiError(body?.message ?? `GET ${url.pathname} answered HTTP ${res.status}.`);
    return body as T;
  }
}
