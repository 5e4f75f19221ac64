import { AsyncParallelHook, AsyncSeriesHook } from 'tapable';

export interface AuditEntry {
  tenantId: string | null;
  actorId: string | null;
  actorEmail: string | null;
  action: string;
  resource: string;
  resourceId?: string | null;
  outcome: 'success' | 'failure';
  ip?: string | null;
  details?: Record<string, unknown>;
}

export interface IngestedBatch {
  tenantId: string;
  runId: string;
  batchId: string;
  counts: { metrics: number; logs: number; events: number; spans: number };
}

export interface RunStatusChange {
  tenantId: string;
  runId: string;
  status: string;
  previousStatus: string | null;
}

export interface TenantChange {
  tenantId: string;
  slug: string;
}

/**
 * The kernel's hooks. Plugins tap with a numeric `stage` (lower runs first) and never with `before`,
 * so the order never depends on which plugin registered first.
 */
export interface KernelHooks {
  readonly audited: AsyncParallelHook<[AuditEntry]>;
  readonly tenantCreated: AsyncSeriesHook<[TenantChange]>;
  readonly tenantDeleted: AsyncSeriesHook<[TenantChange]>;
  readonly batchIngested: AsyncParallelHook<[IngestedBatch]>;
  readonly runStatusChanged: AsyncParallelHook<[RunStatusChange]>;
}

/** Refuses `before` (name-based ordering) on every hook; only numeric stages order taps. */
function stageOnly<T extends { tap: Function; tapAsync: Function; tapPromise: Function }>(hook: T): T {
  for (const method of ['tap', 'tapAsync', 'tapPromise'] as const) {
    const original = hook[method].bind(hook);
    (hook as Record<string, unknown>)[method] = (options: unknown, fn: unknown) => {
      if (typeof options === 'object' && options !== null && 'before' in options) {
        throw new Error('hooks are ordered by numeric `stage`; `before` is not allowed');
      }
      return original(options, fn);
    };
  }
  return hook;
}

export function createKernelHooks(): KernelHooks {
  return Object.freeze({
    audited: stageOnly(new AsyncParallelHook<[AuditEntry]>(['entry'])),
    tenantCreated: stageOnly(new AsyncSeriesHook<[TenantChange]>(['tenant'])),
    tenantDeleted: stageOnly(new AsyncSeriesHook<[TenantChange]>(['tenant'])),
    batchIngested: stageOnly(new AsyncParallelHook<[IngestedBatch]>(['batch'])),
    runStatusChanged: stageOnly(new AsyncParallelHook<[RunStatusChange]>(['change'])),
  });
}
