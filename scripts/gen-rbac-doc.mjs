// Writes docs/rbac.md from the built kernel (npm run build first) and every plugin manifest.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { discoverPlugins, kernelPermissions, ROOT_DIR, renderRbacMatrix } from '../core/dist/index.js';

const { plugins } = discoverPlugins(ROOT_DIR, []);
const markdown = renderRbacMatrix([
  { owner: 'kernel', permissions: kernelPermissions },
  ...plugins.map((p) => ({ owner: p.manifest.id, permissions: p.manifest.permissions })),
]);
writeFileSync(path.join(ROOT_DIR, 'docs', 'rbac.md'), markdown);
console.log('wrote docs/rbac.md');
