import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { EventFollow, EventRecord, EventSearch, EventsPort, FollowedEventRecord, StoredEventRecord } from '../../ports/events.js';
import { unique, type ContractFixture } from './fixture.js';
import { describeFollowContract, type FollowFixture } from './follow.js';

export type EventsContractFixture = ContractFixture<EventsPort> & Pick<FollowFixture<EventRecord, EventFollow, FollowedEventRecord>, 'holdWrite'>;

/**
 * The events port's observable behaviour, for every provider. Tests scope their reads by a run id
 * or attribute value of their own, so they never see each other's events.
 */
export function describeEventsContract(providerName: string, make: () => Promise<EventsContractFixture>): void {
  describe(`events port contract: ${providerName}`, () => {
    let fixture: EventsContractFixture;
    const base = Math.floor(Date.now() / 1000) * 1000 - 3_600_000;

    beforeAll(async () => {
      fixture = await make();
    });
    afterAll(async () => {
      await fixture?.cleanup();
    });

    const write = async (port: EventsPort, events: EventRecord[]) => {
      await port.write(events);
      await fixture.settle?.();
    };
    const typesOf = async (port: EventsPort, search: EventSearch) => (await port.search({ limit: 1000, ...search })).items.map((e) => e.type).sort();

    it('writes events and reads every field back, newest first', async () => {
      const runId = unique('run');
      await write(fixture.tenantA, [
        { ts: base + 1000, type: 'checkpoint_saved', source: 'run', severity: 'info', message: 'saved step 100', runId, attributes: { step: '100' }, payload: { path: 's3://b/ckpt-100', bytes: 1234, nested: { a: [1, 2] } } },
        { ts: base + 2000, type: 'run_finished', source: 'run', severity: 'warning', runId },
      ]);
      const page = await fixture.tenantA.search({ runId });
      expect(page.next).toBeNull();
      expect(page.items).toHaveLength(2);
      const [second, first] = page.items as [StoredEventRecord, StoredEventRecord];
      expect(first).toMatchObject({ ts: base + 1000, type: 'checkpoint_saved', source: 'run', severity: 'info', message: 'saved step 100', runId, attributes: { step: '100' }, payload: { path: 's3://b/ckpt-100', bytes: 1234, nested: { a: [1, 2] } } });
      expect(second).toMatchObject({ ts: base + 2000, type: 'run_finished', source: 'run', severity: 'warning', runId });
      expect(second.message ?? null).toBeNull();
      expect(typeof first.id).toBe('string');
      expect(first.id).not.toBe(second.id);
      expect((await fixture.tenantA.search({ runId, order: 'asc' })).items.map((e) => e.ts)).toEqual([base + 1000, base + 2000]);
    });

    describe('filters', () => {
      const runId = unique('run');
      const cluster = unique('cluster');
      beforeAll(async () => {
        await write(fixture.tenantA, [
          { ts: base + 1000, type: 'FailedScheduling', source: 'k8s', severity: 'warning', message: '0/3 nodes are available: insufficient nvidia.com/gpu', runId, attributes: { cluster, namespace: 'train', pod: 'trainer-0' } },
          { ts: base + 2000, type: 'ImagePullBackOff', source: 'k8s', severity: 'error', message: 'Back-off pulling image registry/trainer:1.2', runId, attributes: { cluster, namespace: 'train', pod: 'trainer-1' } },
          { ts: base + 3000, type: 'OOMKilled', source: 'k8s', severity: 'critical', message: 'Container trainer exceeded its memory limit', runId, attributes: { cluster, namespace: 'serve', pod: 'server-0' } },
          { ts: base + 4000, type: 'checkpoint_saved', source: 'run', severity: 'info', message: 'saved checkpoint at step 2000', runId, attributes: { cluster } },
          { ts: base + 5000, type: 'alert_fired', source: 'alert', severity: 'error', message: 'GPU memory above 95%', runId, attributes: { cluster, rule: 'gpu-mem' } },
        ]);
      });
      const cases: Array<[string, EventSearch, string[]]> = [
        ['types', { types: ['OOMKilled', 'alert_fired'] }, ['OOMKilled', 'alert_fired']],
        ['sources', { sources: ['run', 'alert'] }, ['alert_fired', 'checkpoint_saved']],
        ['severities', { severities: ['error', 'critical'] }, ['ImagePullBackOff', 'OOMKilled', 'alert_fired']],
        ['one attribute', { attributes: { namespace: 'train' } }, ['FailedScheduling', 'ImagePullBackOff']],
        ['all attributes together', { attributes: { namespace: 'train', pod: 'trainer-1' } }, ['ImagePullBackOff']],
        ['an attribute value no event has', { attributes: { namespace: 'nope' } }, []],
        ['text in the message', { text: 'checkpoint' }, ['checkpoint_saved']],
        ['text in the type, any case', { text: 'oomkilled' }, ['OOMKilled']],
        ['every word of the text', { text: 'memory GPU' }, ['alert_fired']],
        ['from and to, inclusive', { from: base + 2000, to: base + 4000 }, ['ImagePullBackOff', 'OOMKilled', 'checkpoint_saved']],
        ['filters combined', { sources: ['k8s'], severities: ['warning', 'error'], attributes: { namespace: 'train' }, text: 'image' }, ['ImagePullBackOff']],
      ];
      it.each(cases)('by %s', async (_name, search, expected) => {
        expect(await typesOf(fixture.tenantA, { runId, ...search })).toEqual([...expected].sort());
      });
      it('by attributes alone, without a run id', async () => {
        expect(await typesOf(fixture.tenantA, { attributes: { cluster } })).toHaveLength(5);
      });
    });

    it('pages with a cursor in both directions without duplicates or gaps', async () => {
      const runId = unique('run');
      const events = Array.from({ length: 17 }, (_, n) => ({ ts: base + (n % 4) * 1000, type: `e${n}`, source: 'run', severity: 'info' as const, runId }));
      await write(fixture.tenantA, events);
      for (const order of ['desc', 'asc'] as const) {
        const seen: StoredEventRecord[] = [];
        let after: string | undefined;
        let pages = 0;
        do {
          const page = await fixture.tenantA.search({ runId, order, limit: 5, ...(after ? { after } : {}) });
          seen.push(...page.items);
          after = page.next ?? undefined;
          pages++;
        } while (after && pages < 20);
        expect(pages).toBe(4);
        expect(new Set(seen.map((e) => e.id)).size).toBe(17);
        expect(seen.map((e) => e.type).sort()).toEqual(events.map((e) => e.type).sort());
        const times = seen.map((e) => e.ts);
        expect(times).toEqual([...times].sort((a, b) => (order === 'asc' ? a - b : b - a)));
      }
    });

    describeFollowContract<EventRecord, EventFollow, FollowedEventRecord>(
      {
        fixture: () => fixture,
        record: (runId, type, ts) => ({ ts, type, source: 'run', severity: 'info', runId }),
        nameOf: (item) => item.type,
        select: (runId) => (runId === null ? {} : { runId }),
        filtered: (runId) => ({
          kept: { ts: base, type: 'kept', source: 'k8s', severity: 'error', runId },
          dropped: { ts: base, type: 'dropped', source: 'run', severity: 'error', runId },
          follow: { runId, sources: ['k8s'] },
        }),
      },
      base,
    );

    it('isolates tenants: another tenant never sees these events', async () => {
      const runId = unique('run');
      const marker = unique('marker');
      await write(fixture.tenantA, [{ ts: base + 1000, type: 'secret', source: 'run', severity: 'info', message: marker, runId, attributes: { marker } }]);
      await write(fixture.tenantB, [{ ts: base + 2000, type: 'mine', source: 'run', severity: 'info', runId }]);
      expect(await typesOf(fixture.tenantB, { runId })).toEqual(['mine']);
      expect(await typesOf(fixture.tenantB, { attributes: { marker } })).toEqual([]);
      expect(await typesOf(fixture.tenantB, { text: marker })).toEqual([]);
      const cursor = (await fixture.tenantA.search({ runId })).items[0]?.id as string;
      for (const order of ['asc', 'desc'] as const) {
        const page = await fixture.tenantB.search({ runId, order, after: cursor }).catch(() => ({ items: [] as StoredEventRecord[] }));
        expect(page.items.map((e) => e.type)).not.toContain('secret');
      }
    });

    it('deletes one run: its events go, another run and the same run id in another tenant stay', async () => {
      const doomed = unique('run');
      const kept = unique('run');
      const marker = unique('marker');
      await write(fixture.tenantA, ['a', 'b'].map((type, n) => ({ ts: base + n * 1000, type: `doomed_${type}`, source: 'run', severity: 'info' as const, runId: doomed, attributes: { marker } })));
      await write(fixture.tenantA, [{ ts: base + 1000, type: 'kept_in_a', source: 'run', severity: 'info', runId: kept, attributes: { marker } }]);
      await write(fixture.tenantB, [{ ts: base + 1000, type: 'kept_in_b', source: 'run', severity: 'info', runId: doomed, attributes: { marker } }]);
      await fixture.tenantA.deleteRun(doomed);
      await fixture.settle?.();
      expect(await typesOf(fixture.tenantA, { runId: doomed })).toEqual([]);
      expect(await typesOf(fixture.tenantA, { attributes: { marker } })).toEqual(['kept_in_a']);
      expect(await typesOf(fixture.tenantB, { runId: doomed })).toEqual(['kept_in_b']);
      // Again, and for a run that never had events: nothing to do is not an error (a retried delete completes).
      await fixture.tenantA.deleteRun(doomed);
      await fixture.tenantA.deleteRun(unique('run'));
    });
  });
}
