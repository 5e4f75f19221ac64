import { scopeToTenant, type MetricPoint, type MetricSummary, type MetricWriteOptions, type MetricWriteResult, type RunMetricsPort, type Series, type SeriesQuery, type TenantDb } from '@oneservice/plugin-sdk';
import type { Knex } from 'knex';
import { toFloat } from './float-text.js';
import { writePoints } from './point-writer.js';
import { querySeries } from './series-query.js';

interface SummaryRow {
  run_id: string;
  name: string;
  last: unknown;
  min: unknown;
  max: unknown;
  last_step: unknown;
  count: unknown;
}

/** The run-metrics port for one tenant: every statement names tenant_id, every row written carries it. */
export class PostgresRunMetrics implements RunMetricsPort {
  private readonly db: TenantDb;

  constructor(
    private readonly knex: Knex,
    tenantId: string,
  ) {
    this.db = scopeToTenant(knex, tenantId);
  }

  write(points: MetricPoint[], options: MetricWriteOptions = {}): Promise<MetricWriteResult> {
    return writePoints(this.knex, this.db.tenantId, points, options.idempotencyKey);
  }

  series(query: SeriesQuery): Promise<Series> {
    return querySeries(this.db, query);
  }

  async summaries(runIds: string[]): Promise<MetricSummary[]> {
    if (runIds.length === 0) return [];
    const result = await this.db.raw<{ rows: SummaryRow[] }>(
      `SELECT run_id, name, last, min, max, last_step::float8 AS last_step, count::float8 AS count
       FROM run_metric_summaries WHERE tenant_id = ? AND run_id = ANY(?::uuid[]) ORDER BY run_id, name`,
      [this.db.tenantId, runIds],
    );
    return result.rows.map((row) => ({
      runId: row.run_id,
      name: row.name,
      last: toFloat(row.last),
      // NULL while a series holds only NaN values.
      min: row.min === null ? Number.NaN : toFloat(row.min),
      max: row.max === null ? Number.NaN : toFloat(row.max),
      lastStep: row.last_step === null ? null : toFloat(row.last_step),
      count: toFloat(row.count),
    }));
  }

  async deleteRun(runId: string): Promise<void> {
    await this.db.transaction(async (trx) => {
      await trx.table('run_metric_chunks').where('run_id', runId).delete();
      await trx.table('run_metric_tiles').where('run_id', runId).delete();
      await trx.table('run_metric_summaries').where('run_id', runId).delete();
      await trx.table('run_metric_batches').where('run_id', runId).delete();
    });
  }
}
