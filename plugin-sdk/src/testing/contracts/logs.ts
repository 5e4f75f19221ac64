import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { FollowedLogRecord, LogFollow, LogRecord, LogSearch, LogsPort, StoredLogRecord } from '../../ports/logs.js';
import { rejectionStatus, unique, type ContractFixture } from './fixture.js';
import { describeFollowContract, type FollowFixture } from './follow.js';

export type LogsContractFixture = ContractFixture<LogsPort> & Pick<FollowFixture<LogRecord, LogFollow, FollowedLogRecord>, 'holdWrite'>;

/**
 * The logs port's observable behaviour, for every provider (embedded PostgreSQL, OpenSearch …).
 * Each test writes its own records under its own run id, so tests never see each other's data
 * and the suite can run against an engine that keeps data between runs.
 */
export function describeLogsContract(providerName: string, make: () => Promise<LogsContractFixture>): void {
  describe(`logs port contract: ${providerName}`, () => {
    let fixture: LogsContractFixture;
    // Whole seconds, an hour back: inside any engine's retention and clear of clock skew.
    const base = Math.floor(Date.now() / 1000) * 1000 - 3_600_000;

    beforeAll(async () => {
      fixture = await make();
    });
    afterAll(async () => {
      await fixture?.cleanup();
    });

    const write = async (port: LogsPort, records: LogRecord[]) => {
      await port.write(records);
      await fixture.settle?.();
    };
    const all = async (port: LogsPort, search: LogSearch): Promise<StoredLogRecord[]> => {
      const items: StoredLogRecord[] = [];
      let after: string | undefined;
      for (let pages = 0; pages < 100; pages++) {
        const page = await port.search({ ...search, ...(after ? { after } : {}) });
        items.push(...page.items);
        if (!page.next) return items;
        after = page.next;
      }
      throw new Error('more than 100 pages');
    };
    const messages = (items: StoredLogRecord[]) => items.map((item) => item.message).sort();

    it('writes records and reads every field back', async () => {
      const runId = unique('run');
      const records: LogRecord[] = [
        { ts: base + 1000, level: 'info', message: 'first line', service: 'trainer', host: 'gpu-1', runId, traceId: 'a1b2c3d4', spanId: 'e5f6', stream: 'stdout', fields: { step: 7, tags: ['x', 'y'], nested: { ok: true } } },
        { ts: base + 2000, level: 'error', message: 'second line', runId },
      ];
      await write(fixture.tenantA, records);
      const page = await fixture.tenantA.search({ runId });
      expect(page.items).toHaveLength(2);
      expect(page.next).toBeNull();
      const [second, first] = page.items;
      expect(first).toMatchObject({ ts: base + 1000, level: 'info', message: 'first line', service: 'trainer', host: 'gpu-1', runId, traceId: 'a1b2c3d4', spanId: 'e5f6', stream: 'stdout', fields: { step: 7, tags: ['x', 'y'], nested: { ok: true } } });
      expect(second).toMatchObject({ ts: base + 2000, level: 'error', message: 'second line', runId });
      expect(second?.service ?? null).toBeNull();
      expect(typeof first?.id).toBe('string');
      expect(first?.id).not.toEqual(second?.id);
    });

    it('orders newest first by default and oldest first with order asc', async () => {
      const runId = unique('run');
      await write(fixture.tenantA, [3, 1, 2].map((n) => ({ ts: base + n * 1000, level: 'info' as const, message: `line ${n}`, runId })));
      expect((await fixture.tenantA.search({ runId })).items.map((i) => i.ts)).toEqual([base + 3000, base + 2000, base + 1000]);
      expect((await fixture.tenantA.search({ runId, order: 'asc' })).items.map((i) => i.ts)).toEqual([base + 1000, base + 2000, base + 3000]);
    });

    it('keeps insertion order among records with the same ts', async () => {
      const runId = unique('run');
      await write(fixture.tenantA, [0, 1, 2, 3, 4].map((n) => ({ ts: base, level: 'info' as const, message: `tie ${n}`, runId })));
      expect((await fixture.tenantA.search({ runId, order: 'asc' })).items.map((i) => i.message)).toEqual(['tie 0', 'tie 1', 'tie 2', 'tie 3', 'tie 4']);
      expect((await fixture.tenantA.search({ runId })).items.map((i) => i.message)).toEqual(['tie 4', 'tie 3', 'tie 2', 'tie 1', 'tie 0']);
    });

    it('bounds the time range with from and to, both inclusive', async () => {
      const runId = unique('run');
      await write(fixture.tenantA, [1, 2, 3, 4, 5].map((n) => ({ ts: base + n * 1000, level: 'info' as const, message: `t${n}`, runId })));
      const items = await all(fixture.tenantA, { runId, from: base + 2000, to: base + 4000 });
      expect(messages(items)).toEqual(['t2', 't3', 't4']);
    });

    describe('query language', () => {
      const runId = unique('run');
      const traceId = 'f00dcafe0001';
      beforeAll(async () => {
        await write(fixture.tenantA, [
          { ts: base + 1000, level: 'info', service: 'api', host: 'node-1', stream: 'stdout', runId, message: 'GET /users served in 12 ms', fields: { status: 200, latency: 12, user: { tier: 'gold' } } },
          { ts: base + 2000, level: 'error', service: 'api', host: 'node-2', stream: 'stderr', runId, message: 'Connection refused by database primary', fields: { status: 500, latency: 250 } },
          { ts: base + 3000, level: 'warn', service: 'trainer', host: 'gpu-7', stream: 'stdout', runId, traceId, message: 'loss spiked at step 420', fields: { step: 420 } },
          { ts: base + 4000, level: 'info', service: 'trainer', host: 'gpu-7', stream: 'stdout', runId, message: 'checkpoint saved after step 500', fields: { step: 500 } },
          { ts: base + 5000, level: 'debug', service: 'scheduler', host: 'node-1', stream: 'stdout', runId, message: 'database connection pool resized', fields: { pool: 10 } },
          { ts: base + 6000, level: 'fatal', service: 'trainer', host: 'gpu-8', stream: 'stderr', runId, message: 'CUDA out of memory while allocating', fields: { step: 510 } },
        ]);
      });
      const GET = 'GET /users served in 12 ms';
      const REFUSED = 'Connection refused by database primary';
      const SPIKED = 'loss spiked at step 420';
      const SAVED = 'checkpoint saved after step 500';
      const POOL = 'database connection pool resized';
      const OOM = 'CUDA out of memory while allocating';
      const cases: Array<[string, string[]]> = [
        ['database', [REFUSED, POOL]],
        ['DataBase', [REFUSED, POOL]],
        ['"connection refused"', [REFUSED]],
        ['"database connection"', [POOL]],
        ['"refused database"', []],
        ['level:error', [REFUSED]],
        ['service:trainer', [SPIKED, SAVED, OOM]],
        ['host:gpu-7', [SPIKED, SAVED]],
        ['stream:stderr', [REFUSED, OOM]],
        [`trace_id:${traceId}`, [SPIKED]],
        [`traceId:${traceId}`, [SPIKED]],
        [`run_id:${runId}`, [GET, REFUSED, SPIKED, SAVED, POOL, OOM]],
        [`runId:"${runId}"`, [GET, REFUSED, SPIKED, SAVED, POOL, OOM]],
        ['fields.status:500', [REFUSED]],
        ['fields.user.tier:gold', [GET]],
        ['conn*', [REFUSED, POOL]],
        ['service:sched*', [POOL]],
        ['database AND pool', [POOL]],
        ['database pool', [POOL]],
        ['database OR checkpoint', [REFUSED, SAVED, POOL]],
        ['database NOT pool', [REFUSED]],
        ['database -pool', [REFUSED]],
        ['NOT service:trainer', [GET, REFUSED, POOL]],
        ['(checkpoint OR memory) AND service:trainer', [SAVED, OOM]],
        ['service:trainer AND (saved OR spiked)', [SPIKED, SAVED]],
        ['level:(error OR fatal)', [REFUSED, OOM]],
        ['fields.step:[420 TO 500]', [SPIKED, SAVED]],
        ['fields.step:{420 TO 500]', [SAVED]],
        ['fields.step:[420 TO 500}', [SPIKED]],
        ['fields.latency:[100 TO *]', [REFUSED]],
        ['fields.step:>500', [OOM]],
        ['fields.step:>=500', [SAVED, OOM]],
        ['fields.step:<500', [SPIKED]],
        ['fields.step:<=420', [SPIKED]],
        ['service:api AND fields.status:>=500', [REFUSED]],
        ['*', [GET, REFUSED, SPIKED, SAVED, POOL, OOM]],
      ];
      it.each(cases)('%s', async (query, expected) => {
        expect(messages(await all(fixture.tenantA, { runId, query }))).toEqual([...expected].sort());
      });

      it.each(['(database', 'database)', 'level:', 'fields.step:[1 TO', 'fields.step:[1 5]', 'AND', 'database OR', '"unterminated'])(
        'rejects %s with a 400',
        async (query) => {
          expect(await rejectionStatus(fixture.tenantA.search({ runId, query }))).toBe(400);
        },
      );
    });

    it('pages with a cursor in both directions without duplicates or gaps', async () => {
      const runId = unique('run');
      // 23 records on 5 distinct timestamps, so page boundaries fall inside runs of equal ts.
      const records = Array.from({ length: 23 }, (_, n) => ({ ts: base + (n % 5) * 1000, level: 'info' as const, message: `paged ${n}`, runId }));
      await write(fixture.tenantA, records);
      for (const order of ['desc', 'asc'] as const) {
        const seen: StoredLogRecord[] = [];
        let after: string | undefined;
        let pages = 0;
        do {
          const page = await fixture.tenantA.search({ runId, order, limit: 4, ...(after ? { after } : {}) });
          expect(page.items.length).toBeLessThanOrEqual(4);
          seen.push(...page.items);
          after = page.next ?? undefined;
          pages++;
        } while (after && pages < 20);
        expect(pages).toBe(6);
        expect(new Set(seen.map((i) => i.id)).size).toBe(23);
        expect(messages(seen)).toEqual(messages(records.map((r, i) => ({ ...r, id: String(i) }))));
        const times = seen.map((i) => i.ts);
        expect(times).toEqual([...times].sort((a, b) => (order === 'asc' ? a - b : b - a)));
      }
    });

    describeFollowContract<LogRecord, LogFollow, FollowedLogRecord>(
      {
        fixture: () => fixture,
        record: (runId, message, ts) => ({ ts, level: 'info', message, runId }),
        nameOf: (item) => item.message,
        select: (runId) => (runId === null ? {} : { runId }),
        filtered: (runId) => ({
          kept: { ts: base, level: 'error', message: 'kept', runId },
          dropped: { ts: base, level: 'info', message: 'dropped', runId },
          follow: { runId, query: 'level:error' },
        }),
      },
      base,
    );

    it('counts a histogram of N equal buckets over [from, to] that add up', async () => {
      const runId = unique('run');
      const from = base;
      const to = base + 60_000 - 1;
      const perBucket = [3, 0, 1, 4, 0, 2];
      const records = perBucket.flatMap((count, bucket) =>
        Array.from({ length: count }, (_, n) => ({ ts: from + bucket * 10_000 + 1000 + n, level: (bucket % 2 ? 'error' : 'info') as 'error' | 'info', message: `bucket ${bucket}`, runId })),
      );
      await write(fixture.tenantA, records);
      const histogram = await fixture.tenantA.histogram({ runId, from, to, buckets: 6 });
      expect(histogram.map((b) => b.ts)).toEqual([0, 1, 2, 3, 4, 5].map((i) => from + i * 10_000));
      expect(histogram.map((b) => b.count)).toEqual(perBucket);
      const errors = await fixture.tenantA.histogram({ runId, from, to, buckets: 6, query: 'level:error' });
      expect(errors.reduce((sum, b) => sum + b.count, 0)).toBe((await all(fixture.tenantA, { runId, from, to, query: 'level:error' })).length);
      expect(errors.map((b) => b.count)).toEqual([0, 0, 0, 4, 0, 2]);
    });

    it('isolates tenants: another tenant never sees these records', async () => {
      const runId = unique('run');
      await write(fixture.tenantA, [{ ts: base + 1000, level: 'info', message: 'secret of tenant a', runId }]);
      await write(fixture.tenantB, [{ ts: base + 2000, level: 'info', message: 'belongs to tenant b', runId }]);
      const a = await fixture.tenantA.search({ runId });
      expect(a.items.map((i) => i.message)).toEqual(['secret of tenant a']);
      expect((await fixture.tenantB.search({ runId })).items.map((i) => i.message)).toEqual(['belongs to tenant b']);
      expect((await fixture.tenantB.search({ query: `secret AND run_id:${runId}` })).items).toEqual([]);
      const histogram = await fixture.tenantB.histogram({ runId, from: base, to: base + 9999, buckets: 2 });
      expect(histogram.reduce((sum, b) => sum + b.count, 0)).toBe(1);
      // A's record id as B's cursor: B gets nothing of A's (an empty page or a refusal, never A's data).
      const cursor = a.items[0]?.id as string;
      for (const order of ['asc', 'desc'] as const) {
        const page = await fixture.tenantB.search({ order, after: cursor, query: `run_id:${runId}` }).catch(() => ({ items: [] as StoredLogRecord[] }));
        expect(page.items.map((i) => i.message)).not.toContain('secret of tenant a');
      }
    });

    it('deletes one run: its records go, another run and the same run id in another tenant stay', async () => {
      const doomed = unique('run');
      const kept = unique('run');
      await write(fixture.tenantA, [1, 2, 3].map((n) => ({ ts: base + n * 1000, level: 'info' as const, message: `doomed ${n}`, runId: doomed })));
      await write(fixture.tenantA, [{ ts: base + 2000, level: 'info', message: 'kept in a', runId: kept }]);
      await write(fixture.tenantB, [{ ts: base + 2000, level: 'info', message: 'kept in b', runId: doomed }]);
      await fixture.tenantA.deleteRun(doomed);
      await fixture.settle?.();
      expect((await fixture.tenantA.search({ runId: doomed })).items).toEqual([]);
      expect((await fixture.tenantA.histogram({ runId: doomed, from: base, to: base + 9999, buckets: 1 }))[0]?.count).toBe(0);
      expect((await fixture.tenantA.search({ runId: kept })).items.map((i) => i.message)).toEqual(['kept in a']);
      expect((await fixture.tenantB.search({ runId: doomed })).items.map((i) => i.message)).toEqual(['kept in b']);
      // Again, and for a run that never had records: nothing to do is not an error (a retried delete completes).
      await fixture.tenantA.deleteRun(doomed);
      await fixture.tenantA.deleteRun(unique('run'));
    });
  });
}
