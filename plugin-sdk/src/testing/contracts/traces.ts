import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import type { SpanRecord, TraceSearch, TracesPort } from '../../ports/traces.js';
import { unique, type ContractFixture, type MakeFixture } from './fixture.js';

/** Hex ids of the W3C/OTLP sizes, which real engines (Jaeger) require. */
const traceId = () => randomBytes(16).toString('hex');
const spanId = () => randomBytes(8).toString('hex');

/** Fields a provider may leave out are compared as their empty form. */
const normalise = (span: SpanRecord): SpanRecord => ({ ...span, parentSpanId: span.parentSpanId ?? null, runId: span.runId ?? null, attributes: span.attributes ?? {} });

/**
 * The traces port's observable behaviour, for every provider (embedded PostgreSQL, Jaeger …).
 * Service names are unique to each run of the suite, so services(), operations() and dependencies()
 * can be checked on a store that holds other data. Every findTraces names a service, as Jaeger needs.
 * A trace matches findTraces when one of its spans meets every filter (Jaeger's semantics); the
 * data below is shaped so that trace-level duration semantics give the same answers.
 */
export function describeTracesContract(providerName: string, make: MakeFixture<TracesPort>): void {
  describe(`traces port contract: ${providerName}`, () => {
    let fixture: ContractFixture<TracesPort>;
    const base = Math.floor(Date.now() / 1000) * 1000 - 3_600_000;
    const gateway = unique('gateway');
    const trainer = unique('trainer');
    const storage = unique('storage');
    const runId = unique('run');
    const t1 = { id: traceId(), root: spanId(), step: spanId(), save: spanId() };
    const t2 = { id: traceId(), root: spanId(), step: spanId() };
    const t3 = { id: traceId(), root: spanId() };
    const span = (s: Omit<SpanRecord, 'status'> & { status?: SpanRecord['status'] }): SpanRecord => ({ status: 'ok', ...s });
    // t1: fast and healthy but for one failed save; t2: slow, failed, part of the run; t3: one span.
    const trace1 = [
      span({ traceId: t1.id, spanId: t1.root, parentSpanId: null, name: 'POST /train', service: gateway, start: base, end: base + 100, attributes: { 'http.route': '/train', 'http.status_code': 200 } }),
      span({ traceId: t1.id, spanId: t1.step, parentSpanId: t1.root, name: 'train_step', service: trainer, start: base + 10, end: base + 60, attributes: { step: 1 } }),
      span({ traceId: t1.id, spanId: t1.save, parentSpanId: t1.step, name: 'save_checkpoint', service: storage, start: base + 20, end: base + 50, status: 'error', attributes: {} }),
    ];
    const trace2 = [
      span({ traceId: t2.id, spanId: t2.root, parentSpanId: null, name: 'POST /train', service: gateway, start: base + 1000, end: base + 4000, status: 'error', attributes: { 'http.route': '/train', 'http.status_code': 500 } }),
      span({ traceId: t2.id, spanId: t2.step, parentSpanId: t2.root, name: 'train_step', service: trainer, start: base + 1100, end: base + 3100, runId, attributes: { step: 2 } }),
    ];
    const trace3 = [span({ traceId: t3.id, spanId: t3.root, parentSpanId: null, name: 'evaluate', service: trainer, start: base + 5000, end: base + 5200, runId: unique('run'), attributes: { dataset: 'val' } })];

    beforeAll(async () => {
      fixture = await make();
      await fixture.tenantA.writeSpans([...trace1, ...trace2, ...trace3]);
      await fixture.settle?.();
    });
    afterAll(async () => {
      await fixture?.cleanup();
    });

    it('returns every span of a trace, ordered by start, as written', async () => {
      const spans = await fixture.tenantA.getTrace(t1.id);
      expect(spans?.map(normalise)).toEqual(trace1.map(normalise));
    });

    it('ignores spans written again (same trace and span id)', async () => {
      await fixture.tenantA.writeSpans([trace1[1] as SpanRecord, trace1[0] as SpanRecord]);
      await fixture.settle?.();
      expect(await fixture.tenantA.getTrace(t1.id)).toHaveLength(3);
    });

    it('answers null for an unknown trace', async () => {
      expect(await fixture.tenantA.getTrace(traceId())).toBeNull();
    });

    it('summarises matching traces, newest first', async () => {
      const found = await fixture.tenantA.findTraces({ service: gateway, start: base - 1000, end: base + 10_000 });
      expect(found.map((t) => t.traceId)).toEqual([t2.id, t1.id]);
      expect(found[1]).toEqual({
        traceId: t1.id, rootName: 'POST /train', rootService: gateway, start: base, durationMs: 100,
        spanCount: 3, services: [gateway, trainer, storage].sort(), errorCount: 1,
      });
      expect(found[0]).toMatchObject({ rootName: 'POST /train', rootService: gateway, start: base + 1000, durationMs: 3000, spanCount: 2, errorCount: 1 });
      expect([...(found[0]?.services ?? [])].sort()).toEqual([gateway, trainer].sort());
    });

    const cases: Array<[string, TraceSearch, string[]]> = [
      ['service and operation', { service: trainer, operation: 'evaluate' }, [t3.id]],
      ['an operation of another service', { service: gateway, operation: 'evaluate' }, []],
      ['run id', { service: trainer, runId }, [t2.id]],
      ['a string tag', { service: gateway, tags: { 'http.route': '/train' } }, [t2.id, t1.id]],
      ['a numeric tag given as text', { service: gateway, tags: { 'http.status_code': '500' } }, [t2.id]],
      ['tags together', { service: gateway, tags: { 'http.route': '/train', 'http.status_code': '200' } }, [t1.id]],
      ['time range', { service: trainer, start: base + 900, end: base + 6000 }, [t3.id, t2.id]],
      ['minimum duration', { service: gateway, minDurationMs: 1000 }, [t2.id]],
      ['maximum duration', { service: trainer, maxDurationMs: 100 }, [t1.id]],
      ['limit', { service: gateway, limit: 1 }, [t2.id]],
    ];
    it.each(cases)('finds traces by %s', async (_name, search, expected) => {
      const found = await fixture.tenantA.findTraces({ start: base - 1000, end: base + 10_000, ...search });
      expect(found.map((t) => t.traceId)).toEqual(expected);
    });

    it('lists services and their operations', async () => {
      expect(await fixture.tenantA.services()).toEqual(expect.arrayContaining([gateway, trainer, storage]));
      expect(await fixture.tenantA.operations(gateway)).toEqual(['POST /train']);
      expect([...(await fixture.tenantA.operations(trainer))].sort()).toEqual(['evaluate', 'train_step']);
      expect(await fixture.tenantA.operations(unique('nobody'))).toEqual([]);
    });

    it('counts calls between services', async () => {
      const ours = new Set([gateway, trainer, storage]);
      const deps = (await fixture.tenantA.dependencies({ start: base - 1000, end: base + 10_000 })).filter((d) => ours.has(d.parent) || ours.has(d.child));
      expect(deps.sort((a, b) => a.parent.localeCompare(b.parent) || a.child.localeCompare(b.child))).toEqual(
        [
          { parent: gateway, child: trainer, callCount: 2 },
          { parent: trainer, child: storage, callCount: 1 },
        ].sort((a, b) => a.parent.localeCompare(b.parent) || a.child.localeCompare(b.child)),
      );
    });

    it('isolates tenants: another tenant never sees these spans', async () => {
      const b = fixture.tenantB;
      expect(await b.getTrace(t1.id)).toBeNull();
      expect(await b.findTraces({ service: gateway, start: base - 1000, end: base + 10_000 })).toEqual([]);
      expect(await b.services()).not.toEqual(expect.arrayContaining([gateway]));
      expect(await b.operations(gateway)).toEqual([]);
      const deps = await b.dependencies({ start: base - 1000, end: base + 10_000 });
      expect(deps.filter((d) => [gateway, trainer, storage].includes(d.parent))).toEqual([]);
      // The same ids in another tenant are another span: neither write hides or changes the other.
      const own = span({ traceId: t1.id, spanId: t1.root, parentSpanId: null, name: 'tenant b root', service: unique('b-service'), start: base, end: base + 5, attributes: {} });
      await b.writeSpans([own]);
      await fixture.settle?.();
      expect((await b.getTrace(t1.id))?.map(normalise)).toEqual([normalise(own)]);
      expect((await fixture.tenantA.getTrace(t1.id))?.map(normalise)).toEqual(trace1.map(normalise));
    });

    it("deletes one run's spans: other spans of its traces, other runs and the same run id in another tenant stay", async () => {
      const doomed = unique('run');
      const kept = unique('run');
      const service = unique('deleted');
      const whole = { id: traceId(), root: spanId(), child: spanId() };
      const shared = { id: traceId(), root: spanId(), child: spanId() };
      const other = { id: traceId(), root: spanId() };
      const doomedSpans = [
        span({ traceId: whole.id, spanId: whole.root, parentSpanId: null, name: 'epoch', service, start: base, end: base + 50, runId: doomed, attributes: {} }),
        span({ traceId: whole.id, spanId: whole.child, parentSpanId: whole.root, name: 'step', service, start: base + 1, end: base + 9, runId: doomed, attributes: {} }),
        span({ traceId: shared.id, spanId: shared.child, parentSpanId: shared.root, name: 'step', service, start: base + 101, end: base + 109, runId: doomed, attributes: {} }),
      ];
      const sharedRoot = span({ traceId: shared.id, spanId: shared.root, parentSpanId: null, name: 'request', service, start: base + 100, end: base + 150, attributes: {} });
      const otherRun = span({ traceId: other.id, spanId: other.root, parentSpanId: null, name: 'epoch', service, start: base + 200, end: base + 250, runId: kept, attributes: {} });
      const inTenantB = span({ traceId: whole.id, spanId: whole.root, parentSpanId: null, name: 'epoch in b', service, start: base, end: base + 5, runId: doomed, attributes: {} });
      await fixture.tenantA.writeSpans([...doomedSpans, sharedRoot, otherRun]);
      await fixture.tenantB.writeSpans([inTenantB]);
      await fixture.settle?.();
      await fixture.tenantA.deleteRun(doomed);
      await fixture.settle?.();
      const window = { service, start: base - 1000, end: base + 10_000 };
      expect(await fixture.tenantA.getTrace(whole.id)).toBeNull();
      expect(await fixture.tenantA.findTraces({ ...window, runId: doomed })).toEqual([]);
      expect((await fixture.tenantA.getTrace(shared.id))?.map(normalise)).toEqual([normalise(sharedRoot)]);
      expect((await fixture.tenantA.getTrace(other.id))?.map(normalise)).toEqual([normalise(otherRun)]);
      expect((await fixture.tenantB.getTrace(whole.id))?.map(normalise)).toEqual([normalise(inTenantB)]);
      // Again, and for a run that never had spans: nothing to do is not an error (a retried delete completes).
      await fixture.tenantA.deleteRun(doomed);
      await fixture.tenantA.deleteRun(unique('run'));
    });
  });
}
