// Builds every package for `npm start`: server TypeScript is transpiled file by file (no bundling, so
// plugins stay separate modules loaded at run time), then the browser bundles are built by the shell's
// own build (shell + each plugin's UI module). Type checking is `npm run typecheck` (tsc, no emit).
import { build } from 'esbuild';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');

function tsFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return tsFiles(full);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [full] : [];
  });
}

async function transpile(pkgDir, srcSubdir, outSubdir) {
  const src = path.join(pkgDir, srcSubdir);
  const entryPoints = tsFiles(src);
  if (entryPoints.length === 0) return;
  const outdir = path.join(pkgDir, outSubdir);
  await build({
    entryPoints, outdir, outbase: src, bundle: false, platform: 'node', format: 'esm',
    target: 'node20', sourcemap: 'linked', logLevel: 'warning',
  });
}

const packages = [
  ['core', 'src', 'dist'],
  ['plugin-sdk', 'src', 'dist'],
  ...readdirSync(path.join(root, 'plugins'))
    .filter((id) => existsSync(path.join(root, 'plugins', id, 'plugin.json')))
    .map((id) => [path.join('plugins', id), 'src/server', 'dist/server']),
];
for (const [pkg, src, out] of packages) {
  rmSync(path.join(root, pkg, out), { recursive: true, force: true });
  await transpile(path.join(root, pkg), src, out);
}
const shellBuild = path.join(root, 'frontend-shell', 'build.mjs');
if (existsSync(shellBuild)) execFileSync(process.execPath, [shellBuild], { stdio: 'inherit', cwd: root });
console.log(`built ${packages.length} server packages${existsSync(shellBuild) ? ' and the browser bundles' : ''}`);
