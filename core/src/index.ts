export { loadConfig, configSchema, type Config } from './config.js';
export { createKernel, ROOT_DIR, type Kernel, type KernelOptions } from './kernel.js';
export { createTenantWithRoleUsers, createSuperAdmin, seedDemo, demoEmail, DEMO_PASSWORD } from './demo/seed.js';
export { kernelPermissions } from './rbac/kernel-permissions.js';
export { orderPlugins } from './plugins/ordering.js';
export { readManifest, discoverPlugins, CORE_VERSION } from './plugins/discovery.js';
export { renderRbacMatrix } from './rbac/matrix-doc.js';
export { renderSettingsTable, withSettingsTable } from './plugins/plugin-settings.js';
