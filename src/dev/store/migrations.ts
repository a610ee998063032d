import { CREATE_SEARCH_INDEX, SEARCH_TEXT_SQL } from "./search.js";
import type { SqlDatabase } from "./sql.js";
import { SPAN_KEY_SQL } from "./summary.js";
import { CREATE_USAGE } from "./usage-summary.js";

/** Migration 3's index on spans, as shipped (migration 4 replaces it with the deferred one). */
const SPANS_SEARCH_V3 = `create index if not exists spans_search on spans using gin (${SEARCH_TEXT_SQL} gin_trgm_ops)`;

interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/**
 * The schema, as an append-only list: never edit a shipped migration, add the next version.
 * The SPEC.md §2 dashboard columns are real columns; everything else stays in `attributes`.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "spans and trace summaries",
    sql: `
      create table spans (
        workspace_id    text not null,
        trace_id        text not null,
        span_id         text not null,
        parent_span_id  text,
        name            text not null,
        otel_kind       smallint not null default 0,
        span_kind       text,
        status_code     text not null default 'unset',
        status_message  text,
        start_ns        bigint not null,
        end_ns          bigint not null,
        user_id         text,
        session_id      text,
        model           text,
        provider        text,
        input           text,
        output          text,
        tags            jsonb,
        input_tokens    bigint,
        output_tokens   bigint,
        attributes      jsonb not null default '{}',
        resource        jsonb not null default '{}',
        scope           jsonb not null default '{}',
        events          jsonb not null default '[]',
        links           jsonb not null default '[]',
        source          text not null default 'push',
        received_at     timestamptz not null default now(),
        primary key (trace_id, span_id)
      );
      create index spans_span_id on spans (span_id);
      create index spans_start on spans (start_ns);
      create table traces (
        workspace_id    text not null,
        trace_id        text primary key,
        root_span_id    text,
        name            text not null,
        start_ns        bigint not null,
        end_ns          bigint not null,
        span_count      integer not null,
        models          text[] not null default '{}',
        input_tokens    bigint,
        output_tokens   bigint,
        status          text not null,
        user_id         text,
        session_id      text,
        input           text,
        output          text,
        source          text not null default 'push'
      );
      create index traces_ws_start on traces (workspace_id, start_ns desc, trace_id desc);
      create index traces_session on traces (workspace_id, session_id);
      create index traces_user on traces (workspace_id, user_id);
    `,
  },
  {
    version: 2,
    name: "incremental trace summaries (root/user/session sort keys), last write time for retention; drop the unused spans start index",
    sql: `
      drop index if exists spans_start;
      alter table traces add column root_key text collate "C", add column user_key text collate "C",
        add column session_key text collate "C", add column received_at timestamptz not null default now();
      create index traces_received on traces (received_at, trace_id);
      update traces t set root_key = k.root_key, user_key = k.user_key, session_key = k.session_key
      from (
        select trace_id, min(${SPAN_KEY_SQL}) as root_key,
          min(${SPAN_KEY_SQL}) filter (where user_id is not null) as user_key,
          min(${SPAN_KEY_SQL}) filter (where session_id is not null) as session_key
        from spans group by trace_id
      ) k
      where k.trace_id = t.trace_id;
    `,
  },
  {
    version: 3,
    name: "reads at scale: token usage per run, model and provider; sessions and users paged by last start through an index; trigram index for run search",
    // pg_trgm may be refused (an external PostgreSQL without contrib, or a role that may not create
    // extensions): the migration still applies, search scans, and ensureSearchIndex retries at start
    sql: `
      drop index if exists traces_session;
      drop index if exists traces_user;
      create index traces_session_start on traces (workspace_id, session_id, start_ns);
      create index traces_user_start on traces (workspace_id, user_id, start_ns);
      ${CREATE_USAGE}
      do $$ begin
        create extension if not exists pg_trgm;
      exception when others then
        raise notice 'pg_trgm is not available (%): run search scans spans', sqlerrm;
      end $$;
      do $$ begin
        if exists (select 1 from pg_extension where extname = 'pg_trgm') then
          execute $ix$${SPANS_SEARCH_V3}$ix$;
        end if;
      end $$;
    `,
  },
  {
    version: 4,
    name: "deferred search index: a background-filled copy of span text carries the trigram index, off the ingest path",
    // Adding search_seq with a volatile default rewrites spans once, numbering the existing spans:
    // they start in the tail (above indexed_upto = 0), which search scans until the indexer has
    // copied them. The index is only created when pg_trgm is there (ensureSearchIndex retries).
    sql: `
      drop index if exists spans_search;
      create sequence spans_search_seq;
      alter table spans add column search_seq bigint not null default nextval('spans_search_seq');
      create index spans_search_tail on spans (search_seq);
      create table span_search (
        trace_id  text not null,
        span_id   text not null,
        seq       bigint not null,
        text      text not null,
        primary key (trace_id, span_id),
        foreign key (trace_id, span_id) references spans (trace_id, span_id) on delete cascade
      );
      create table search_state (
        id            boolean primary key default true check (id),
        indexed_upto  bigint not null
      );
      insert into search_state (indexed_upto) values (0);
      do $$ begin
        if exists (select 1 from pg_extension where extname = 'pg_trgm') then
          execute $ix$${CREATE_SEARCH_INDEX}$ix$;
        end if;
      end $$;
    `,
  },
  {
    version: 5,
    name: "no foreign key from trace_usage to traces: retention deletes a run's usage with it",
    // A foreign-key check runs a query whose plan is cached for the session. Planned while `traces`
    // was nearly empty (the first write of a fresh store), it scanned the whole table for every
    // usage row until the next analyze: 9.4 million rows read for 61,440 spans, ingest slowing as
    // runs accumulated. The store is the only writer of `trace_usage` and deletes a run's rows with
    // the run (retention.ts). span_search keeps its foreign key: the planner reads it to estimate
    // the search probe's join, and without it chose a hash join over every copy (2.2 s instead of 27 ms).
    sql: `
      do $$ declare c record; begin
        for c in select conname from pg_constraint where contype = 'f' and conrelid = 'trace_usage'::regclass loop
          execute format('alter table trace_usage drop constraint %I', c.conname);
        end loop;
      end $$;
    `,
  },
];

/** Apply every migration not yet recorded in `schema_migrations`, each in its own transaction. */
export async function migrate(db: SqlDatabase): Promise<number[]> {
  await db.query(`create table if not exists schema_migrations (
    version integer primary key, name text not null, applied_at timestamptz not null default now())`);
  const applied = new Set((await db.query<{ version: number }>("select version from schema_migrations")).map((r) => Number(r.version)));
  const ran: number[] = [];
  for (const m of MIGRATIONS) {
    if (applied.has(m.version)) continue;
    await db.transaction(async (tx) => {
      // serialise concurrent servers migrating one PostgreSQL database
      await tx.query("select pg_advisory_xact_lock(4242)");
      const again = await tx.query("select 1 from schema_migrations where version = $1", [m.version]);
      if (again.length > 0) return;
      await tx.exec(m.sql);
      await tx.query("insert into schema_migrations (version, name) values ($1, $2)", [m.version, m.name]);
      ran.push(m.version);
    });
  }
  return ran;
}
