import { randomUUID } from 'node:crypto';

/**
 * What a contract suite needs from a provider under test: two port instances bound to two different
 * tenants of the same store, and a way to clean up. `settle` is for engines that make writes visible
 * asynchronously (an OpenSearch refresh, a Jaeger flush); the suites call it after every write.
 */
export interface ContractFixture<P> {
  tenantA: P;
  tenantB: P;
  settle?(): Promise<void>;
  cleanup(): Promise<void>;
}

export type MakeFixture<P> = () => Promise<ContractFixture<P>>;

/** A value no other test (or earlier run against a persistent engine) has used. */
export const unique = (prefix: string): string => `${prefix}-${randomUUID().slice(0, 8)}`;

/** Rejections must carry an HTTP status so the platform answers 400, not 500. */
export async function rejectionStatus(promise: Promise<unknown>): Promise<number | undefined> {
  try {
    await promise;
  } catch (error) {
    const status = (error as { status?: unknown }).status;
    return typeof status === 'number' ? status : -1;
  }
  return undefined;
}
