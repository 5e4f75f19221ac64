import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The platform's own Prometheus metrics, served at /metrics. */
export function createPlatformMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'oneservice_' });
  return {
    registry,
    httpDuration: new Histogram({
      name: 'oneservice_http_request_duration_seconds', help: 'HTTP request duration by route and status',
      labelNames: ['method', 'route', 'status'], buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers: [registry],
    }),
    httpRequests: new Counter({ name: 'oneservice_http_requests_total', help: 'HTTP requests by route and status', labelNames: ['method', 'route', 'status'], registers: [registry] }),
    pluginState: new Gauge({ name: 'oneservice_plugin_state', help: '1 for the state each plugin is in', labelNames: ['plugin', 'state'], registers: [registry] }),
    dbPool: new Gauge({ name: 'oneservice_db_pool_connections', help: 'Database pool connections by state', labelNames: ['state'], registers: [registry] }),
  };
}
export type PlatformMetrics = ReturnType<typeof createPlatformMetrics>;
