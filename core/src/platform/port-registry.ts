import type { Knex } from 'knex';
import { ProblemError, type PortProvider, type PortRef, type Secrets } from '@oneservice/plugin-sdk';
import type { PostgresLiveBus } from './live-bus.js';

interface Registered {
  owner: string;
  provider: PortProvider<unknown>;
}

/** Sent on the live bus when a tenant's bindings change, so every platform node drops its cache. */
const BINDINGS_CHANGED = 'kernel:datasource-bindings';

/**
 * Providers of each port, and which one serves a tenant: the provider named by the tenant's
 * datasource binding for that port, else the default one. The resolved instance is cached per
 * tenant and port, and dropped on every node when the tenant's bindings change (live bus) or when
 * the bus reconnects (a notification may have been missed), so an ingest batch reads no bindings.
 */
export class PortRegistry {
  private readonly providers = new Map<string, Registered[]>();
  private readonly instances = new Map<string, Promise<unknown>>();
  private sealed = false;

  constructor(private readonly knex: Knex, private readonly secrets: Secrets, private readonly live: PostgresLiveBus) {
    live.subscribeEveryTenant(BINDINGS_CHANGED, (tenantId) => this.forget(tenantId));
    live.onReconnect(() => this.forget(null));
  }

  provide<T>(owner: string, port: string, provider: PortProvider<T>): void {
    if (this.sealed) throw new Error(`port registry is sealed: ${owner} provided ${port} after start`);
    const list = this.providers.get(port) ?? [];
    if (list.some((r) => r.provider.id === provider.id)) throw new Error(`port ${port} already has a provider ${provider.id}`);
    list.push({ owner, provider: provider as PortProvider<unknown> });
    this.providers.set(port, list);
  }

  removeOwner(owner: string): void {
    for (const [port, list] of this.providers) this.providers.set(port, list.filter((r) => r.owner !== owner));
    this.forget(null);
  }

  seal(): void {
    this.sealed = true;
  }

  /** Every port some provider serves. */
  portIds(): string[] {
    return [...this.providers].filter(([, list]) => list.length > 0).map(([port]) => port).sort();
  }

  providersOf(port: string): { owner: string; id: string; isDefault: boolean }[] {
    return (this.providers.get(port) ?? []).map((r) => ({ owner: r.owner, id: r.provider.id, isDefault: r.provider.isDefault ?? false }));
  }

  findByOwner(owner: string): { port: string; provider: PortProvider<unknown> }[] {
    return [...this.providers].flatMap(([port, list]) => list.filter((r) => r.owner === owner).map((r) => ({ port, provider: r.provider })));
  }

  /** A tenant's bindings changed on this node: drop its instances here and on every other node. */
  async bindingsChanged(tenantId: string): Promise<void> {
    this.forget(tenantId);
    await this.live.publish(tenantId, BINDINGS_CHANGED, {});
  }

  resolve<T>(port: PortRef<T>, tenantId: string): Promise<T> {
    const key = `${tenantId}|${port.id}`;
    let instance = this.instances.get(key);
    if (!instance) {
      // Cached while still in flight: an invalidation meanwhile removes it, so no stale binding stays.
      const created = this.create(port.id, tenantId);
      this.instances.set(key, created);
      created.catch(() => this.instances.get(key) === created && this.instances.delete(key));
      instance = created;
    }
    return instance as Promise<T>;
  }

  private async create(port: string, tenantId: string): Promise<unknown> {
    const list = this.providers.get(port) ?? [];
    const binding = await this.knex('datasource_bindings').where({ tenant_id: tenantId, port }).orderBy('updated_at', 'desc').first();
    const chosen = binding
      ? list.find((r) => r.owner === binding.plugin_id && (!binding.provider || r.provider.id === binding.provider))
      : (list.find((r) => r.provider.isDefault) ?? list[0]);
    if (!chosen) throw new ProblemError(503, 'Service Unavailable', `no provider of the ${port} port is available${binding ? ` (the tenant's binding names ${binding.plugin_id}, which is not running)` : ''}`);
    const settings = binding ? (JSON.parse(this.secrets.open(binding.settings_sealed)) as Record<string, unknown>) : {};
    return chosen.provider.create({ tenantId, settings });
  }

  private forget(tenantId: string | null): void {
    if (tenantId === null) this.instances.clear();
    else for (const key of this.instances.keys()) if (key.startsWith(`${tenantId}|`)) this.instances.delete(key);
  }
}
