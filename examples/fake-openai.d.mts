/** Types for the fake OpenAI-compatible server used by the examples and tests. */
export interface FakeOpenAI {
  url: string;
  /** `${url}/v1`: pass as `baseURL` to the `openai` client. */
  baseURL: string;
  /** Parsed request bodies, in arrival order. */
  requests: Array<Record<string, unknown>>;
  close(): Promise<void>;
}
export function startFakeOpenAI(): Promise<FakeOpenAI>;
