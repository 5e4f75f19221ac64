import { startTestKernel, type TestKernel } from '@oneservice/plugin-sdk/testing';
import type { RouteRegistry } from '../src/http/route-registry.js';

let k: TestKernel;
let registry: RouteRegistry;
beforeAll(async () => {
  k = await startTestKernel({ plugins: ['lifecycle-base'], pluginDirs: [new URL('./fixtures', import.meta.url).pathname] });
  registry = (k.kernel as unknown as { routes: RouteRegistry }).routes;
});
afterAll(async () => {
  await k?.stop();
});

it('documents every registered route, kernel’s and plugins’, with its schemas', async () => {
  const response = await k.request('GET', '/api/openapi.json');
  expect(response.status).toBe(200);
  expect(response.body.openapi).toBe('3.1.0');
  for (const { owner, definition } of registry.routes) {
    const path = `/api/v1${definition.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`;
    const operation = response.body.paths[path]?.[definition.method.toLowerCase()];
    expect(operation).toBeDefined();
    expect(operation['x-owner']).toBe(owner);
    if (definition.schema?.body) expect(operation.requestBody.content['application/json'].schema).toBeDefined();
    if (definition.schema?.response) expect(Object.values(operation.responses).some((r: any) => r.content?.['application/json']?.schema)).toBe(true);
  }
  expect(response.body.paths['/api/v1/widgets'].get['x-owner']).toBe('lifecycle-base');
});

it('serves Swagger UI', async () => {
  const page = await k.request('GET', '/api/docs');
  expect(page.status).toBe(200);
  expect(page.text).toContain('swagger-ui-bundle.js');
  const asset = await k.request('GET', '/api/docs/assets/swagger-ui-bundle.js');
  expect(asset.status).toBe(200);
});

describe('bad input on every route', () => {
  const garbage: unknown[] = [{ unexpected: { deeply: [1, 2, 3] } }, { email: 42, name: null, scopes: 'all', enabled: 'maybe', password: [], slug: '../..' }, [], 'text'];
  it('answers 4xx problem+json, never 5xx', async () => {
    const token = await k.login('super');
    const failures: string[] = [];
    for (const { definition } of registry.routes) {
      const path = `/api/v1${definition.path.replace(/:[A-Za-z0-9_]+/g, 'not-a-uuid')}`;
      for (const body of garbage) {
        const query = '?page=-1&page_size=100000&sort=;drop&from=yesterday&all=perhaps&role=KING';
        const response = await k.request(definition.method, `${path}${query}`, {
          token, headers: { 'X-OneService-Tenant': k.tenants.a.slug },
          ...(definition.method === 'GET' ? {} : typeof body === 'string' ? { rawBody: body, headers: { 'content-type': 'application/json', 'X-OneService-Tenant': k.tenants.a.slug } } : { body }),
        });
        // A route that takes no input has no bad input: it must only never fail.
        const takesInput = Boolean(definition.schema?.params || definition.schema?.query || (definition.method !== 'GET' && (definition.schema?.body || definition.rawBody)));
        const wrong = response.status >= 500 || (takesInput && (response.status < 400 || !String(response.headers.get('content-type')).includes('application/problem+json')));
        if (wrong) {
          failures.push(`${definition.method} ${definition.path} ${JSON.stringify(body)} → ${response.status} ${response.text.slice(0, 120)}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('answers 413 naming the limit for an oversized body', async () => {
    const small = await startTestKernel({ env: { BODY_LIMIT_BYTES: '2048' } });
    try {
      const response = await small.request('POST', '/api/v1/auth/login', { body: { username: 'x'.repeat(5000), password: 'y' } });
      expect(response.status).toBe(413);
      expect(response.body.limit).toBe(2048);
    } finally {
      await small.stop();
    }
  });
});

it('exposes health, readiness and Prometheus metrics', async () => {
  expect((await k.request('GET', '/healthz')).body).toEqual({ status: 'ok' });
  expect((await k.request('GET', '/readyz')).body).toEqual({ status: 'ready' });
  const metrics = await k.request('GET', '/metrics');
  expect(metrics.text).toContain('oneservice_http_request_duration_seconds_bucket');
  expect(metrics.text).toContain('oneservice_plugin_state{plugin="lifecycle-base",state="started"} 1');
});
