import type { EventsPort } from './events.js';
import type { LogsPort } from './logs.js';
import type { ObjectsPort } from './objects.js';
import type { RunMetricsPort } from './run-metrics.js';
import type { TracesPort } from './traces.js';

export * from './events.js';
export * from './logs.js';
export * from './objects.js';
export * from './run-metrics.js';
export * from './traces.js';

/** Every port a plugin may provide or use, by name. A port instance is bound to one tenant. */
export interface Ports {
  logs: LogsPort;
  events: EventsPort;
  traces: TracesPort;
  objects: ObjectsPort;
  'run-metrics': RunMetricsPort;
}
export type PortName = keyof Ports;
export const PORT_NAMES: readonly PortName[] = ['logs', 'events', 'traces', 'objects', 'run-metrics'];

export interface PortBinding {
  tenantId: string;
  /** The tenant's datasource binding settings for this provider, decrypted; {} for defaults. */
  settings: Record<string, unknown>;
}

/** A provider makes tenant-bound instances of one port. */
export interface PortProvider<K extends PortName> {
  /** Provider id, unique per port (e.g. `embedded`, `opensearch`). */
  id: string;
  /** Used when a tenant has no datasource binding for this port. */
  isDefault?: boolean;
  create(binding: PortBinding): Ports[K] | Promise<Ports[K]>;
  /** Answers the settings page's "test connection". */
  test?(settings: Record<string, unknown>): Promise<{ ok: boolean; message: string }>;
}
