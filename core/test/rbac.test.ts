import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROLES, type Role } from '@oneservice/plugin-sdk';
import { startTestKernel, type TestKernel } from '@oneservice/plugin-sdk/testing';
import { ROOT_DIR } from '../src/kernel.js';
import { discoverPlugins } from '../src/plugins/discovery.js';
import { kernelPermissions } from '../src/rbac/kernel-permissions.js';
import { renderRbacMatrix } from '../src/rbac/matrix-doc.js';
import type { RouteRegistry } from '../src/http/route-registry.js';

/** The matrix as docs/rbac.md states it: permission → roles with a ✓. */
function documentedMatrix(): Map<string, Set<Role>> {
  const markdown = readFileSync(path.join(ROOT_DIR, 'docs', 'rbac.md'), 'utf8');
  const matrix = new Map<string, Set<Role>>();
  for (const line of markdown.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    const id = /^`(.+)`$/.exec(cells[1] ?? '')?.[1];
    if (!id) continue;
    matrix.set(id, new Set(ROLES.filter((_, i) => cells[3 + i] === '✓')));
  }
  return matrix;
}

describe('docs/rbac.md', () => {
  it('is exactly what the code declares (run `npm run docs:rbac` after changing permissions)', () => {
    const { plugins } = discoverPlugins(ROOT_DIR, []);
    const expected = renderRbacMatrix([
      { owner: 'kernel', permissions: kernelPermissions },
      ...plugins.map((p) => ({ owner: p.manifest.id, permissions: p.manifest.permissions })),
    ]);
    expect(readFileSync(path.join(ROOT_DIR, 'docs', 'rbac.md'), 'utf8')).toBe(expected);
  });
});

describe('every kernel route × the six roles', () => {
  let k: TestKernel;
  const tokens = new Map<Role, string>();
  beforeAll(async () => {
    k = await startTestKernel();
    for (const role of ROLES) tokens.set(role, await k.login('a', role));
  });
  afterAll(async () => {
    await k?.stop();
  });

  it('allows exactly the roles the documented matrix grants', async () => {
    const matrix = documentedMatrix();
    const registry = (k.kernel as unknown as { routes: RouteRegistry }).routes;
    const guarded = registry.routes.filter((r) => r.owner === 'kernel' && !['public', 'authenticated'].includes(r.definition.permission));
    expect(guarded.length).toBeGreaterThan(15);
    const mismatches: string[] = [];
    for (const { definition } of guarded) {
      const allowed = matrix.get(definition.permission);
      if (!allowed) {
        mismatches.push(`${definition.permission} is not in docs/rbac.md`);
        continue;
      }
      // Ids of another tenant's objects: a permitted role gets 404 or 400, never 401/403; others get 403.
      const url = `/api/v1${definition.path.replace(/:id/g, k.tenants.b.users.PM)}`;
      for (const role of ROLES) {
        const response = await k.request(definition.method, url, { token: tokens.get(role)!, ...(definition.method === 'GET' || definition.method === 'DELETE' ? {} : { body: {} }) });
        const permitted = response.status !== 403 && response.status !== 401;
        if (permitted !== allowed.has(role)) mismatches.push(`${role} ${definition.method} ${definition.path} → ${response.status}`);
        expect(response.status).toBeLessThan(500);
      }
    }
    expect(mismatches).toEqual([]);
  });
});
