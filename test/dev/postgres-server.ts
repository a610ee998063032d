import { startPostgres as start } from "../../scripts/throwaway-postgres.mjs";

/** A throwaway PostgreSQL server for a test file (fsync off: the tests need no durability). */
export const startPostgres = () => start({ fsync: false });
