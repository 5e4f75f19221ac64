/**
 * A typed handle on a port, declared once in plugin-sdk (or in a plugin package that adds a port):
 * `ctx.port(logsPort, tenantId)` then resolves to a `LogsPort` without a cast. The id is what
 * manifests name in `provides` and in `requires` (as `port:<id>`).
 */
export interface PortRef<T> {
  readonly id: string;
  /** Never set: carries the port's type for inference (as Backstage's service refs do). */
  readonly $type?: T;
}

export function definePort<T>(id: string): PortRef<T> {
  if (!/^[a-z][a-z0-9-]{0,62}$/.test(id)) throw new Error(`a port id is lower-case letters, digits and dashes: ${id}`);
  return Object.freeze({ id }) as PortRef<T>;
}

export interface PortBinding {
  tenantId: string;
  /** The tenant's datasource binding settings for this provider, decrypted; {} for defaults. */
  settings: Record<string, unknown>;
}

/** A provider makes tenant-bound instances of one port. */
export interface PortProvider<T> {
  /** Provider id, unique per port (e.g. `embedded`, `opensearch`). */
  id: string;
  /** Used when a tenant has no datasource binding for this port. */
  isDefault?: boolean;
  create(binding: PortBinding): T | Promise<T>;
  /** Answers the settings page's "test connection". */
  test?(settings: Record<string, unknown>): Promise<{ ok: boolean; message: string }>;
}
