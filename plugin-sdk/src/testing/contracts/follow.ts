import { describe, expect, it } from '@jest/globals';
import { rejectionStatus, unique } from './fixture.js';

/** A write of tenant A that the suite commits when it chooses: a batch held open by a slow writer. */
export interface HeldWrite {
  commit(): Promise<void>;
}

interface FollowPage<Item> {
  items: Item[];
  next: string;
}

/** What the follow tests use of a port that promises gap-free following (logs, events). */
export interface FollowablePort<Record, Follow, Item> {
  write(records: Record[]): Promise<void>;
  follow(follow: Follow): Promise<FollowPage<Item>>;
}

export interface FollowFixture<Record, Follow, Item> {
  tenantA: FollowablePort<Record, Follow, Item>;
  tenantB: FollowablePort<Record, Follow, Item>;
  /**
   * Starts writing `records` to tenant A as one batch that stays invisible to readers until
   * `commit()` (a transaction held open; for an engine without transactions, a write not yet
   * refreshed). The tests use it to make batches commit out of the order they began.
   */
  holdWrite(records: Record[]): Promise<HeldWrite>;
  settle?(): Promise<void>;
}

/** How one port's records are made and followed; the tests are the same for every port. */
export interface FollowSubject<Record, Follow extends { cursor?: string; limit?: number }, Item extends { id: string; cursor: string }> {
  fixture(): FollowFixture<Record, Follow, Item>;
  /** A record of `scope` (a run id) that `nameOf` reads back as `name`. */
  record(scope: string, name: string, ts: number): Record;
  nameOf(item: Item): string;
  /** The follow of exactly `scope`'s records; of every record of the tenant for null. */
  select(scope: string | null): Follow;
  /** Two records of `scope`, named `kept` and `dropped`, and a follow of the scope that keeps the first only. */
  filtered(scope: string): { kept: Record; dropped: Record; follow: Follow };
}

/**
 * The follow behaviour a port promises (docs/adr/0012-logs-follow-and-query-parser.md): every
 * record written after the start handed out exactly once, each write whole and in order, however
 * late it commits. Called inside a port's contract suite, after its fixture exists.
 */
export function describeFollowContract<Record, Follow extends { cursor?: string; limit?: number }, Item extends { id: string; cursor: string }>(
  subject: FollowSubject<Record, Follow, Item>,
  base: number,
): void {
  const { record, nameOf, select } = subject;
  const names = (items: Item[]) => items.map(nameOf);
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const write = async (port: FollowablePort<Record, Follow, Item>, records: Record[]) => {
    await port.write(records);
    await subject.fixture().settle?.();
  };
  const from = (scope: string | null, cursor: string, limit?: number): Follow => ({ ...select(scope), cursor, ...(limit === undefined ? {} : { limit }) });

  /** Follows until a call hands out nothing; returns what it handed out and where it stopped. */
  const followAll = async (port: FollowablePort<Record, Follow, Item>, scope: string, start: string, limit?: number) => {
    const items: Item[] = [];
    let cursor = start;
    for (let pages = 0; pages < 1000; pages++) {
      const page = await port.follow(from(scope, cursor, limit));
      items.push(...page.items);
      cursor = page.next;
      if (page.items.length === 0) return { items, cursor };
    }
    throw new Error('follow never ran dry');
  };

  describe('follow', () => {
    it('starts with the newest records, oldest first, then hands out only what is written later', async () => {
      const { tenantA } = subject.fixture();
      const runId = unique('run');
      await write(tenantA, [1, 2, 3].map((n) => record(runId, `old ${n}`, base + n * 1000)));
      const start = await tenantA.follow({ ...select(runId), limit: 2 });
      expect(names(start.items)).toEqual(['old 2', 'old 3']);
      expect((await tenantA.follow(from(runId, start.next))).items).toEqual([]);
      // Older timestamps than anything seen: following is by arrival, not by ts.
      await write(tenantA, [5, 0].map((n) => record(runId, `new ${n}`, base + n * 1000)));
      const tail = await tenantA.follow(from(runId, start.next));
      expect(names(tail.items)).toEqual(['new 5', 'new 0']);
      expect((await tenantA.follow(from(runId, tail.next))).items).toEqual([]);
      expect((await tenantA.follow(from(runId, tail.items.at(-1)?.cursor as string))).items).toEqual([]);
      // The follow's filters apply to what is followed.
      const { kept, dropped, follow } = subject.filtered(runId);
      await write(tenantA, [kept, dropped]);
      expect(names((await tenantA.follow({ ...follow, cursor: tail.next })).items)).toEqual(['kept']);
    });

    it('hands out a batch that commits after later batches, once, without waiting for it', async () => {
      const { tenantA, holdWrite, settle } = subject.fixture();
      const runId = unique('run');
      const { next: start } = await tenantA.follow(select(runId));
      const slow = await holdWrite([0, 1, 2].map((n) => record(runId, `slow ${n}`, base + n)));
      await write(tenantA, [0, 1].map((n) => record(runId, `fast ${n}`, base + 10_000 + n)));
      // The slow batch began first and is still open: the fast one is handed out now regardless.
      const first = await followAll(tenantA, runId, start);
      expect(names(first.items)).toEqual(['fast 0', 'fast 1']);
      await slow.commit();
      await settle?.();
      const second = await followAll(tenantA, runId, first.cursor);
      expect(names(second.items)).toEqual(['slow 0', 'slow 1', 'slow 2']);
      // Resuming from a record's cursor continues right after that record.
      const resumed = await followAll(tenantA, runId, first.items[0]?.cursor as string);
      expect(names(resumed.items)).toEqual(['fast 1', 'slow 0', 'slow 1', 'slow 2']);
    });

    it('under concurrent writers committing out of order, hands out every record exactly once, each batch whole and in order', async () => {
      const { tenantA, holdWrite, settle } = subject.fixture();
      const runId = unique('run');
      const { next: start } = await tenantA.follow(select(runId));
      const writers = 4;
      const batchesPerWriter = 6;
      const perBatch = 5;
      const written: string[][] = [];
      let writing = true;
      let reads = 0;
      const writer = async (w: number) => {
        for (let b = 0; b < batchesPerWriter; b++) {
          const batchNames = Array.from({ length: perBatch }, (_, n) => `w${w} b${b} r${n}`);
          written.push(batchNames);
          // Every timestamp the same: order can only come from the store, never from ts.
          const batch = batchNames.map((name) => record(runId, name, base));
          if ((w + b) % 2 === 0) {
            // Held open while the other writers commit: commits land out of the order they began.
            // The follower reads at least once meanwhile, however slow the machine, so it has had
            // the chance to step past this batch.
            const held = await holdWrite(batch);
            const readsBefore = reads;
            await pause(5 + ((w * 7 + b * 13) % 20));
            while (reads < readsBefore + 2) await pause(1);
            await held.commit();
          } else {
            await tenantA.write(batch);
          }
        }
      };
      const seen: Item[] = [];
      const follower = async () => {
        let cursor = start;
        // Small pages, so page ends fall inside batches; keep going until writers are done and a read comes back empty.
        for (;;) {
          const page = await tenantA.follow(from(runId, cursor, 3));
          reads += 1;
          seen.push(...page.items);
          cursor = page.next;
          if (page.items.length === 0) {
            if (!writing) return cursor;
            await pause(2);
          }
        }
      };
      const following = follower();
      await Promise.all(Array.from({ length: writers }, (_, w) => writer(w)));
      await settle?.();
      writing = false;
      await following;

      const order = names(seen);
      expect(order).toHaveLength(writers * batchesPerWriter * perBatch);
      expect(new Set(order).size).toBe(order.length);
      expect(new Set(seen.map((i) => i.id)).size).toBe(seen.length);
      for (const batch of written) {
        const at = order.indexOf(batch[0] as string);
        expect(order.slice(at, at + batch.length)).toEqual(batch);
      }
      // A follower resuming from any record's cursor gets exactly the records after it.
      for (const k of [0, 7, 58, order.length - 1]) {
        const resumed = await followAll(tenantA, runId, seen[k]?.cursor as string, 50);
        expect(names(resumed.items).sort()).toEqual(order.slice(k + 1).sort());
      }
    });

    it('keeps tenants apart and refuses a cursor it did not make', async () => {
      const { tenantA, tenantB } = subject.fixture();
      const runId = unique('run');
      const { next } = await tenantA.follow(select(runId));
      await write(tenantA, [record(runId, 'followed by a only', base)]);
      expect(names((await tenantA.follow(from(runId, next))).items)).toEqual(['followed by a only']);
      expect((await tenantB.follow(from(runId, next))).items).toEqual([]);
      expect((await tenantB.follow(from(null, next))).items).toEqual([]);
      for (const cursor of ['', 'not-a-cursor', '12', `${next}~${next}`, 'x'.repeat(10_000)]) {
        expect(await rejectionStatus(tenantA.follow(from(runId, cursor)))).toBe(400);
      }
    });
  });
}
