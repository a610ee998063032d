import type pg from "pg";

export class PostgresNotInstalledError extends Error {}
export function findPostgresBin(): string | undefined;
export function startPostgres(options?: { fsync?: boolean }): Promise<{ url: string; pg: typeof pg; stop(): Promise<void> }>;
