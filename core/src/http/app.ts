import Koa from 'koa';
import send from 'koa-send';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type Router from '@koa/router';
import type { Logger } from 'pino';
import type { PlatformMetrics } from '../platform/metrics.js';
import { methodProblems, problemMiddleware } from './problem.js';

export interface AppOptions {
  logger: Logger;
  metrics: PlatformMetrics;
  router: Router;
  openApi: () => unknown;
  shellDir: string;
  /** `/plugins/<id>/ui.js` → the plugin's built frontend entry, or null. */
  pluginModule(id: string): string | null;
  ready: () => boolean;
  onRequestStart(): void;
  onRequestEnd(): void;
}

const swaggerDir = path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

const swaggerPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>OneService API</title>
<link rel="stylesheet" href="/api/docs/assets/swagger-ui.css"></head>
<body><div id="swagger"></div>
<script src="/api/docs/assets/swagger-ui-bundle.js"></script>
<script src="/api/docs/init.js"></script></body></html>`;
const swaggerInit = `window.ui = SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#swagger', deepLinking: true, persistAuthorization: true });`;

export function createApp(options: AppOptions): Koa {
  const app = new Koa({ proxy: false });
  const { logger, metrics } = options;
  // A client closing a stream (SSE, download) early is normal; anything else Koa reports is logged.
  app.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'ERR_STREAM_PREMATURE_CLOSE' || error.code === 'ECONNRESET' || error.code === 'EPIPE') return;
    logger.error({ err: error }, 'http error');
  });

  app.use(async (ctx, next) => {
    const started = process.hrtime.bigint();
    ctx.state.requestId = ctx.get('x-request-id') || randomUUID();
    ctx.set('X-Request-Id', ctx.state.requestId);
    options.onRequestStart();
    try {
      await next();
    } finally {
      options.onRequestEnd();
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = (ctx as unknown as { _matchedRoute?: string })._matchedRoute ?? (ctx.path.startsWith('/api/') ? 'unmatched' : 'static');
      const labels = { method: ctx.method, route, status: String(ctx.status) };
      metrics.httpDuration.observe(labels, seconds);
      metrics.httpRequests.inc(labels);
      if (ctx.path.startsWith('/api/')) {
        logger.info({ requestId: ctx.state.requestId, tenant: ctx.state.tenantId ?? null, method: ctx.method, path: ctx.path, status: ctx.status, ms: Math.round(seconds * 1000) }, 'request');
      }
    }
  });
  app.use(problemMiddleware(logger));

  app.use(async (ctx, next) => {
    switch (ctx.path) {
      case '/healthz':
        ctx.body = { status: 'ok' };
        return;
      case '/readyz':
        ctx.status = options.ready() ? 200 : 503;
        ctx.body = { status: options.ready() ? 'ready' : 'starting' };
        return;
      case '/metrics':
        ctx.type = metrics.registry.contentType;
        ctx.body = await metrics.registry.metrics();
        return;
      case '/api/openapi.json':
        ctx.body = options.openApi();
        return;
      case '/api/docs':
      case '/api/docs/':
        ctx.type = 'html';
        ctx.body = swaggerPage;
        return;
      case '/api/docs/init.js':
        ctx.type = 'application/javascript';
        ctx.body = swaggerInit;
        return;
    }
    if (ctx.path.startsWith('/api/docs/assets/')) {
      await send(ctx, ctx.path.slice('/api/docs/assets/'.length), { root: swaggerDir });
      return;
    }
    await next();
  });

  app.use(options.router.routes());
  app.use(methodProblems());
  app.use(options.router.allowedMethods());

  app.use(async (ctx, next) => {
    await next();
    if (ctx.body !== undefined || ctx.status !== 404 || ctx.method !== 'GET' || ctx.path.startsWith('/api/')) return;
    const pluginMatch = /^\/plugins\/([a-z0-9-]+)\/ui\.js$/.exec(ctx.path);
    if (pluginMatch) {
      const file = options.pluginModule(pluginMatch[1]!);
      if (file) await send(ctx, path.basename(file), { root: path.dirname(file) });
      return;
    }
    if (!existsSync(options.shellDir)) {
      ctx.type = 'text/plain';
      ctx.body = 'The web shell is not built: run `npm run build`.';
      return;
    }
    const file = ctx.path.replace(/^\/+/, '');
    // Anything that is not a file of the shell is one of its routes: answer index.html (SPA).
    const served = file && !file.includes('..') && existsSync(path.join(options.shellDir, file));
    await send(ctx, served ? file : 'index.html', { root: options.shellDir, maxage: served && file !== 'index.html' ? 3600_000 : 0 });
  });
  return app;
}
