import { startTestKernel, type TestKernel } from '@oneservice/plugin-sdk/testing';
import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { z } from 'zod';
import type { RegisteredRoute, RouteRegistry } from '../src/http/route-registry.js';

// Every bundled plugin, so that "every route" below means every route a user can reach.
const BUNDLED = ['training', 'run-metrics-postgres', 'logs-embedded', 'events-embedded', 'traces-embedded', 'objects-local', 'example-hello'];

let k: TestKernel;
let registry: RouteRegistry;
beforeAll(async () => {
  k = await startTestKernel({ plugins: ['lifecycle-base', ...BUNDLED], pluginDirs: [new URL('./fixtures', import.meta.url).pathname] });
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

  it('answers a method the path does not declare with 405, an Allow header and problem+json; OPTIONS with the Allow header', async () => {
    const token = await k.login('super');
    const failures: string[] = [];
    const seen = new Set<string>();
    for (const route of registry.routes) {
      const path = concretePath(route);
      if (seen.has(path)) continue;
      seen.add(path);
      const allowed = allowedAt(path);
      const expectedAllow = [...allowed, ...(allowed.has('GET') ? ['HEAD'] : [])].sort().join(', ');
      for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'TRACE'].filter((m) => !allowed.has(m))) {
        const answer = await send(method, path, { authorization: `Bearer ${token}` });
        const allow = sortedAllow(answer.headers.allow);
        if (answer.status !== 405 || allow !== expectedAllow || !String(answer.headers['content-type']).includes('application/problem+json') || answer.json?.status !== 405) {
          failures.push(`${method} ${path} → ${answer.status} Allow: ${allow} ${answer.text.slice(0, 120)}`);
        }
      }
      const options = await send('OPTIONS', path, {});
      if (![200, 204].includes(options.status) || sortedAllow(options.headers.allow) !== expectedAllow) {
        failures.push(`OPTIONS ${path} → ${options.status} Allow: ${options.headers.allow}`);
      }
    }
    expect(failures).toEqual([]);
    // A path nobody declares is not a method problem.
    const unknown = await send('TRACE', '/api/v1/no-such-thing', {});
    expect([unknown.status, String(unknown.headers['content-type'])]).toEqual([404, expect.stringContaining('application/problem+json')]);
  });

  it('refuses over-long and malformed ids in a path with 4xx problem+json naming the parameter', async () => {
    const token = await k.login('super');
    const failures: string[] = [];
    for (const route of registry.routes) {
      const names = [...route.definition.path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]!);
      for (const name of names) {
        for (const bad of ['x'.repeat(300), 'not-a-uuid', '%00', '%ED%A0%80', '1e400']) {
          const path = concretePath(route, { [name]: bad });
          const answer = await k.request(route.definition.method, path, { token, headers: { 'X-OneService-Tenant': k.tenants.a.slug }, ...(route.definition.method === 'GET' || !route.definition.schema?.body ? {} : { body: sample(jsonSchemaOf(route.definition.schema.body), {}) }) });
          const named = answer.status !== 400 || (answer.body.errors ?? []).some((e: { in?: string; path?: string }) => e.in === 'params' && e.path === name);
          if (answer.status < 400 || answer.status >= 500 || !String(answer.headers.get('content-type')).includes('application/problem+json') || !named || reachedDatabase(answer.body)) {
            failures.push(`${route.definition.method} ${path} → ${answer.status} ${answer.text.slice(0, 160)}`);
          }
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('refuses NUL and lone surrogates anywhere in a body or query, and out-of-range numbers, with 400 problem+json naming the field', async () => {
    const token = await k.login('super');
    const failures: string[] = [];
    let refusedInBody = 0;
    const ingest = await k.apiToken('a', 'ML_ENGINEER', ['ingest']);
    const batch = await k.request('POST', '/api/v1/ingest/batch', { token: ingest, body: { batch_id: randomUUID(), run: { client_run_id: 'bad-input' }, metrics: [{ name: 'loss', value: 1, step: 1, ts: Date.now() }] } });
    expect(batch.status).toBe(202);
    const run = await k.request('GET', `/api/v1/runs/${batch.body.run_id}`, { token });
    const existing = { runId: batch.body.run_id as string, projectId: run.body.project_id as string };
    for (const route of registry.routes) {
      if (route.definition.path === LOOSE) continue;
      const { method } = route.definition;
      // Against a run and a project that exist, so that a number the schema lets through reaches the handler.
      const path = concretePath(route, route.definition.path.startsWith('/runs/:id') ? { id: existing.runId } : route.definition.path.startsWith('/projects/:id') ? { id: existing.projectId } : {});
      const schemas = route.definition.schema ?? {};
      const cases: { what: string; query?: string; body?: unknown; exact: boolean }[] = [];
      for (const text of ['bad\u0000text', 'bad\ud800text', '\udc00']) {
        if (!schemas.body || route.definition.rawBody || method === 'GET') continue;
        const body = sample(jsonSchemaOf(schemas.body), { text });
        cases.push({ what: `body ${JSON.stringify(text)}`, body, exact: JSON.stringify(body).includes(JSON.stringify(text).slice(1, -1)) });
      }
      const numbers = [1e300, -1e300, 2 ** 31, -(2 ** 53) - 2, 1.5];
      for (const number of numbers) {
        if (schemas.body && !route.definition.rawBody && method !== 'GET') cases.push({ what: `body number ${number}`, body: sample(jsonSchemaOf(schemas.body), { number }), exact: false });
      }
      // In a query, one parameter at a time (the others keep their defaults): NUL, a lone surrogate as its
      // (invalid) UTF-8 bytes, out-of-range numbers.
      for (const name of schemas.query ? Object.keys(jsonSchemaOf(schemas.query).properties ?? {}) : []) {
        for (const value of ['bad%00text', '%ED%A0%80', ...numbers.map(String)]) cases.push({ what: `query ${name}=${value}`, query: `${name}=${value}`, exact: false });
      }
      refusedInBody += cases.filter((c) => c.exact).length;
      for (const c of cases) {
        const answer = await k.request(method, `${path}${c.query ? `?${c.query}` : ''}`, { token, headers: { 'X-OneService-Tenant': k.tenants.a.slug }, ...(c.body !== undefined ? { body: c.body } : {}) });
        const problem = String(answer.headers.get('content-type')).includes('application/problem+json');
        // A string with NUL or a lone surrogate somewhere in a body is always refused; elsewhere any 4xx will do
        // (a query string decodes a lone surrogate to U+FFFD, a number may be in range for its field).
        const wrong = answer.status >= 500 || (c.exact && (answer.status !== 400 || !answer.body.errors?.length)) || (answer.status >= 400 && !problem) || reachedDatabase(answer.body);
        if (wrong) failures.push(`${method} ${route.definition.path} ${c.what} → ${answer.status} ${answer.text.slice(0, 160)}`);
      }
    }
    expect(failures).toEqual([]);
    // Every body-taking route but the few without a free-form string (e.g. { enabled: boolean }) got one.
    expect(refusedInBody).toBeGreaterThanOrEqual(40);
  });

  it('answers 400, not 500, when input a schema let through is refused by PostgreSQL (22xxx), as a safety net', async () => {
    const answer = await k.request('GET', `/api/v1${LOOSE}?id=not-a-number`, { token: await k.login('a', 'READONLY') });
    expect(answer.status).toBe(400);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
    expect(reachedDatabase(answer.body)).toBe(true);
  });

  it('answers problem+json even for what Node refuses before the app sees it (a 20 KiB URL: 431)', async () => {
    const answer = await send('GET', `/api/v1/runs?q=${'%28'.repeat(7000)}`, {});
    expect([answer.status, answer.headers['content-type'], answer.json?.status]).toEqual([431, 'application/problem+json', 431]);
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

/** The fixture route whose schema is looser than its column (see the safety-net test). */
const LOOSE = '/widgets/loose';

/** The answer came from the kernel's last-resort mapping of a PostgreSQL data error, not from the route's schema. */
const reachedDatabase = (body: { detail?: unknown } | null) => String(body?.detail ?? '').startsWith(STORED_NOT);
const STORED_NOT = 'a value of this request cannot be stored';

type JsonSchema = { type?: string | string[]; properties?: Record<string, JsonSchema>; additionalProperties?: JsonSchema | boolean; items?: JsonSchema; anyOf?: JsonSchema[]; oneOf?: JsonSchema[]; allOf?: JsonSchema[]; enum?: unknown[]; const?: unknown; format?: string; pattern?: string; minimum?: number; $ref?: string; $defs?: Record<string, JsonSchema>; default?: unknown };

const jsonSchemaOf = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;

/**
 * A value of the schema with every free-form string replaced by `text` (every number by `number`), so the
 * bad input sits where a valid request would put text: a field, a record's key and value, an array item.
 */
function sample(schema: JsonSchema, bad: { text?: string; number?: number }, root: JsonSchema = schema, depth = 0): unknown {
  if (depth > 8) return null;
  if (schema.$ref) return sample(root.$defs?.[schema.$ref.split('/').at(-1)!] ?? {}, bad, root, depth + 1);
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[0];
  const options = schema.anyOf ?? schema.oneOf ?? schema.allOf;
  if (options?.length) return sample(options[0]!, bad, root, depth + 1);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'object': {
      const value: Record<string, unknown> = {};
      for (const [name, property] of Object.entries(schema.properties ?? {})) value[name] = sample(property, bad, root, depth + 1);
      if (typeof schema.additionalProperties === 'object') value[bad.text ?? 'key'] = sample(schema.additionalProperties, bad, root, depth + 1);
      return value;
    }
    case 'array':
      return [sample(schema.items ?? {}, bad, root, depth + 1)];
    case 'string':
      return schema.format || schema.pattern ? exampleString(schema) : (bad.text ?? 'text');
    case 'number':
    case 'integer':
      return bad.number ?? schema.minimum ?? 1;
    case 'boolean':
      return true;
    default:
      return bad.text ?? bad.number ?? null;
  }
}

function exampleString(schema: JsonSchema): string {
  if (schema.format === 'uuid') return randomUUID();
  if (schema.format === 'date-time') return new Date().toISOString();
  if (schema.format === 'email') return 'someone@example.com';
  const candidates = ['0'.repeat(32), '0'.repeat(16), 'abc', 'a-b'];
  return candidates.find((c) => !schema.pattern || new RegExp(schema.pattern).test(c)) ?? 'abc';
}

/** The route's path under /api/v1 with each parameter filled (a fresh uuid unless `values` names it). */
function concretePath({ definition }: RegisteredRoute, values: Record<string, string> = {}): string {
  const params = definition.schema?.params ? (jsonSchemaOf(definition.schema.params).properties ?? {}) : {};
  return `/api/v1${definition.path.replace(/:([A-Za-z0-9_]+)/g, (_, name: string) => values[name] ?? (params[name] ? exampleString(params[name]!) : 'abc'))}`;
}

/** The methods declared for any route pattern that matches this concrete path. */
function allowedAt(path: string): Set<string> {
  const methods = new Set<string>();
  for (const { definition } of registry.routes) {
    const pattern = new RegExp(`^/api/v1${definition.path.replace(/:[A-Za-z0-9_]+/g, '[^/]+')}$`);
    if (pattern.test(path)) methods.add(definition.method);
  }
  return methods;
}

const sortedAllow = (header: string | string[] | undefined) => String(header ?? '').split(/,\s*/).filter(Boolean).sort().join(', ');

/** fetch refuses TRACE (and CONNECT): node:http sends any method. */
function send(method: string, path: string, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string; json: any }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${k.baseUrl}${path}`, { method, headers }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => (text += chunk));
      response.on('end', () => {
        let json: unknown = null;
        try {
          json = text ? JSON.parse(text) : null;
        } catch {
          // not JSON: the assertions say so
        }
        resolve({ status: response.statusCode ?? 0, headers: response.headers, text, json });
      });
    });
    request.on('error', reject);
    request.end();
  });
}

it('exposes health, readiness and Prometheus metrics', async () => {
  expect((await k.request('GET', '/healthz')).body).toEqual({ status: 'ok' });
  expect((await k.request('GET', '/readyz')).body).toEqual({ status: 'ready' });
  const metrics = await k.request('GET', '/metrics');
  expect(metrics.text).toContain('oneservice_http_request_duration_seconds_bucket');
  expect(metrics.text).toContain('oneservice_plugin_state{plugin="lifecycle-base",state="started"} 1');
});
