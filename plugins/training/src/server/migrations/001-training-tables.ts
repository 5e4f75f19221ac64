import type { PluginMigration } from '@oneservice/plugin-sdk';

export const trainingTables: PluginMigration = {
  async up(knex) {
    await knex.raw(`
      CREATE TABLE projects (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL,
        name text NOT NULL,
        description text,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (tenant_id, name)
      )`);
    // metric_last: the last value of each metric, copied from the run-metrics port after each batch,
    // so the runs list can sort by a metric without reaching into another plugin's tables.
    await knex.raw(`
      CREATE TABLE runs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL,
        project_id uuid NOT NULL REFERENCES projects(id),
        client_run_id text NOT NULL,
        name text NOT NULL,
        status text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'finished', 'failed', 'killed')),
        framework text,
        params jsonb NOT NULL DEFAULT '{}',
        tags jsonb NOT NULL DEFAULT '{}',
        notes text,
        metric_last jsonb NOT NULL DEFAULT '{}',
        started_at timestamptz NOT NULL DEFAULT now(),
        ended_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (tenant_id, client_run_id)
      )`);
    await knex.raw('CREATE INDEX runs_tenant_created_idx ON runs (tenant_id, created_at DESC, id)');
    await knex.raw('CREATE INDEX runs_tenant_project_idx ON runs (tenant_id, project_id, created_at DESC)');
    await knex.raw('CREATE INDEX runs_tags_idx ON runs USING gin (tags jsonb_path_ops)');
    await knex.raw('CREATE INDEX runs_params_idx ON runs USING gin (params jsonb_path_ops)');
    await knex.raw(`
      CREATE TABLE artifacts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL,
        run_id uuid NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        path text NOT NULL,
        type text NOT NULL,
        size bigint NOT NULL,
        sha256 text NOT NULL,
        storage_key text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (tenant_id, run_id, path)
      )`);
    // state: 'metrics' once the points are committed, 'complete' once logs/events/spans reached their
    // ports too; a resent batch in state 'metrics' re-sends only those (see ingest-service.ts).
    await knex.raw(`
      CREATE TABLE ingest_batches (
        tenant_id uuid NOT NULL,
        batch_id text NOT NULL,
        run_id uuid NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        state text NOT NULL DEFAULT 'metrics',
        received_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, batch_id)
      )`);
  },
  async down(knex) {
    for (const table of ['ingest_batches', 'artifacts', 'runs', 'projects']) await knex.raw(`DROP TABLE IF EXISTS ${table}`);
  },
};
