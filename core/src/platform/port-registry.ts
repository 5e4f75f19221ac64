import type { Knex } from 'knex';
import { ProblemError, type PortName, type PortProvider, type Ports, type Secrets } from '@oneservice/plugin-sdk';

interface Registered {
  owner: string;
  provider: PortProvider<PortName>;
}

/**
 * Providers of each port, and which one serves a tenant: the provider named by the tenant's
 * datasource binding for that port, else the default one. Instances are cached per tenant and
 * binding version.
 */
export class PortRegistry {
  private readonly providers = new Map<PortName, Registered[]>();
  private readonly instances = new Map<string, Promise<unknown>>();
  private sealed = false;

  constructor(private readonly knex: Knex, private readonly secrets: Secrets) {}

  provide<K extends PortName>(owner: string, port: K, provider: PortProvider<K>): void {
    if (this.sealed) throw new Error(`port registry is sealed: ${owner} provided ${port} after start`);
    const list = this.providers.get(port) ?? [];
    if (list.some((r) => r.provider.id === provider.id)) throw new Error(`port ${port} already has a provider ${provider.id}`);
    list.push({ owner, provider: provider as unknown as PortProvider<PortName> });
    this.providers.set(port, list);
  }

  removeOwner(owner: string): void {
    for (const [port, list] of this.providers) this.providers.set(port, list.filter((r) => r.owner !== owner));
  }

  seal(): void {
    this.sealed = true;
  }

  providersOf(port: PortName): { owner: string; id: string; isDefault: boolean }[] {
    return (this.providers.get(port) ?? []).map((r) => ({ owner: r.owner, id: r.provider.id, isDefault: r.provider.isDefault ?? false }));
  }

  findByOwner(owner: string): { port: PortName; provider: PortProvider<PortName> }[] {
    return [...this.providers].flatMap(([port, list]) => list.filter((r) => r.owner === owner).map((r) => ({ port, provider: r.provider })));
  }

  async resolve<K extends PortName>(port: K, tenantId: string): Promise<Ports[K]> {
    const list = this.providers.get(port) ?? [];
    const binding = await this.knex('datasource_bindings').where({ tenant_id: tenantId, port }).orderBy('updated_at', 'desc').first();
    const chosen = binding
      ? list.find((r) => r.owner === binding.plugin_id && (!binding.provider || r.provider.id === binding.provider))
      : (list.find((r) => r.provider.isDefault) ?? list[0]);
    if (!chosen) throw new ProblemError(503, 'Service Unavailable', `no provider of the ${port} port is available${binding ? ` (the tenant's binding names ${binding.plugin_id}, which is not running)` : ''}`);
    const key = `${port}|${tenantId}|${chosen.owner}|${binding?.id ?? 'default'}|${binding ? new Date(binding.updated_at).getTime() : 0}`;
    let instance = this.instances.get(key);
    if (!instance) {
      const settings = binding ? (JSON.parse(this.secrets.open(binding.settings_sealed)) as Record<string, unknown>) : {};
      instance = Promise.resolve(chosen.provider.create({ tenantId, settings }));
      this.instances.set(key, instance);
      instance.catch(() => this.instances.delete(key));
    }
    return instance as Promise<Ports[K]>;
  }
}
