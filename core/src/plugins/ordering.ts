import type { PluginManifest } from '@oneservice/plugin-sdk';

/**
 * Orders plugins so that each comes after what it requires (Kahn's algorithm; ties by id so the
 * order is stable). `requires` names plugin ids, or `port:<name>` for "whichever plugins provide
 * that port". A missing requirement or a cycle is an error that names the plugins involved.
 */
export function orderPlugins<T extends { manifest: PluginManifest }>(plugins: T[]): T[] {
  const byId = new Map(plugins.map((p) => [p.manifest.id, p]));
  const edges = new Map<string, Set<string>>(plugins.map((p) => [p.manifest.id, new Set<string>()]));
  for (const plugin of plugins) {
    const id = plugin.manifest.id;
    for (const requirement of plugin.manifest.requires) {
      if (requirement.startsWith('port:')) {
        const port = requirement.slice(5);
        const providers = plugins.filter((p) => p.manifest.provides.includes(port) && p.manifest.id !== id);
        if (providers.length === 0) throw new Error(`plugin ${id} requires port ${port}, which no installed plugin provides`);
        for (const provider of providers) edges.get(id)!.add(provider.manifest.id);
      } else {
        if (!byId.has(requirement)) throw new Error(`plugin ${id} requires plugin ${requirement}, which is not installed or is disabled`);
        edges.get(id)!.add(requirement);
      }
    }
  }
  const remaining = new Map([...edges].map(([id, deps]) => [id, new Set(deps)]));
  const ordered: T[] = [];
  while (remaining.size > 0) {
    const ready = [...remaining].filter(([, deps]) => deps.size === 0).map(([id]) => id).sort();
    if (ready.length === 0) throw new Error(`plugin dependency cycle: ${describeCycle(remaining)}`);
    for (const id of ready) {
      ordered.push(byId.get(id)!);
      remaining.delete(id);
      for (const deps of remaining.values()) deps.delete(id);
    }
  }
  return ordered;
}

function describeCycle(remaining: Map<string, Set<string>>): string {
  const start = [...remaining.keys()].sort()[0]!;
  const path = [start];
  let current = start;
  for (;;) {
    const next = [...remaining.get(current)!].sort()[0]!;
    const seen = path.indexOf(next);
    if (seen >= 0) return [...path.slice(seen), next].join(' → ');
    path.push(next);
    current = next;
  }
}
