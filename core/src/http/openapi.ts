import { z, type ZodType } from 'zod';
import type { RegisteredRoute } from './route-registry.js';

type JsonSchema = Record<string, unknown>;

const problemSchema: JsonSchema = {
  type: 'object',
  required: ['type', 'title', 'status'],
  properties: {
    type: { type: 'string' }, title: { type: 'string' }, status: { type: 'integer' }, detail: { type: 'string' },
    errors: { type: 'array', items: { type: 'object', properties: { in: { type: 'string' }, path: { type: 'string' }, message: { type: 'string' } } } },
    instance: { type: 'string' }, request_id: { type: 'string' },
  },
};

function toJsonSchema(schema: ZodType, io: 'input' | 'output'): JsonSchema {
  const json = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
  delete json.$schema;
  return json;
}

/** Object schemas (query, params) become one OpenAPI parameter per property. */
function parameters(schema: ZodType | undefined, where: 'query' | 'path'): unknown[] {
  if (!schema) return [];
  const json = toJsonSchema(schema, 'input');
  const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => ({
    name, in: where, required: where === 'path' || required.has(name), schema: property,
    ...(typeof property.description === 'string' ? { description: property.description } : {}),
  }));
}

/** The OpenAPI 3.1 document of every registered route, kernel's and plugins', from their zod schemas. */
export function buildOpenApiDocument(routes: RegisteredRoute[], version: string, plugins: { id: string; displayName: string }[]) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const { owner, definition } of routes) {
    const path = `/api/v1${definition.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`;
    const status = String(definition.status ?? (definition.schema?.response ? 200 : 204));
    const success: Record<string, unknown> = { description: 'Success' };
    // `produces` may list several types (JSON, or a stream when asked for one): JSON gets the response schema.
    const types = definition.produces ? definition.produces.split(',').map((type) => type.trim()) : definition.schema?.response ? ['application/json'] : [];
    if (types.length > 0) {
      success.content = Object.fromEntries(types.map((type) => [type, {
        schema: type === 'application/json' && definition.schema?.response ? toJsonSchema(definition.schema.response, 'output') : { type: 'string', format: 'binary' },
      }]));
    }
    const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } });
    const responses: Record<string, unknown> = { [status]: success, '400': problem('Invalid input: `errors` names each field and the reason') };
    if (definition.permission !== 'public') {
      responses['401'] = problem('Missing, expired or invalid credential');
      responses['403'] = problem('The role lacks the permission, or the API token lacks the scope');
    }
    if (definition.path.includes(':')) responses['404'] = problem('Not found in this tenant');
    // Every other refusal (409 conflict, 413 too large, 429 throttled, 405 for another method…) is problem+json too.
    responses['4XX'] = problem('Refused: `detail` says why');
    const operation: Record<string, unknown> = {
      operationId: `${owner}:${definition.method.toLowerCase()}:${definition.path}`,
      summary: definition.summary,
      ...(definition.description ? { description: definition.description } : {}),
      tags: definition.tags ?? [owner === 'kernel' ? 'kernel' : owner],
      parameters: [...parameters(definition.schema?.params, 'path'), ...parameters(definition.schema?.query, 'query')],
      responses,
      'x-permission': definition.permission,
      'x-token-scopes': [definition.scope ?? (definition.method === 'GET' ? 'read' : 'write')].flat(),
      'x-owner': owner,
    };
    if (definition.permission === 'public') operation.security = [];
    if (definition.rawBody) {
      operation.requestBody = { required: true, content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } };
    } else if (definition.schema?.body) {
      const body = toJsonSchema(definition.schema.body, 'input');
      operation.requestBody = { required: true, content: { 'application/json': { schema: body }, 'application/x-www-form-urlencoded': { schema: body } } };
    }
    (paths[path] ??= {})[definition.method.toLowerCase()] = operation;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'OneService API', version,
      description: `Observability for AI work. Plugins loaded: ${plugins.map((p) => `${p.displayName} (${p.id})`).join(', ') || 'none'}.`,
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'A JWT access token from /api/v1/auth/login, or an API token (ost_…)' } },
      schemas: { Problem: problemSchema },
    },
    paths,
  };
}
