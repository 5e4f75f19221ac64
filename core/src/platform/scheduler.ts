import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { Scheduler } from '@oneservice/plugin-sdk';

/**
 * Periodic work that exactly one platform node does at a time: before each run a node takes (or
 * renews) a lease row in PostgreSQL that expires after twice the interval.
 */
export class LeasedScheduler implements Scheduler {
  readonly holder = `${process.pid}-${randomUUID()}`;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly abort = new AbortController();

  constructor(private readonly knex: Knex, private readonly logger: Logger) {}

  every(name: string, intervalMs: number, task: (signal: AbortSignal) => Promise<void>): void {
    let running = false;
    const tick = async () => {
      if (running || this.abort.signal.aborted) return;
      running = true;
      try {
        if (await this.acquire(name, intervalMs * 2)) await task(this.abort.signal);
      } catch (error) {
        this.logger.error({ err: error, task: name }, 'scheduled task failed');
      } finally {
        running = false;
      }
    };
    const timer = setInterval(tick, intervalMs);
    timer.unref();
    this.timers.add(timer);
  }

  async acquire(name: string, ttlMs: number): Promise<boolean> {
    const result = await this.knex.raw(
      `INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, now() + (? || ' milliseconds')::interval)
       ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
       WHERE leases.expires_at < now() OR leases.holder = excluded.holder
       RETURNING holder`,
      [name, this.holder, String(ttlMs)],
    );
    return result.rows.length === 1;
  }

  stop(): void {
    this.abort.abort();
    for (const timer of this.timers) clearInterval(timer);
    this.timers.clear();
  }
}
