// Builds the browser side: the shell (frontend-shell/dist: index.html, shell.js, shell.css, lazy
// chunks) and every plugin's page module (plugins/<id>/src/ui/index.ts → plugins/<id>/dist/ui.js).
// Plugin modules must not bundle ECharts: the shell loads it once and hands charts over via ctx.ui.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const shellDir = import.meta.dirname;
const root = path.resolve(shellDir, '..');
const dist = path.join(shellDir, 'dist');
// Chrome/Edge/Firefox/Safari from 2023 on: color-mix(), AbortSignal.any, top-level ESM everywhere.
const target = ['chrome116', 'firefox115', 'safari17'];

async function buildShell() {
  rmSync(dist, { recursive: true, force: true });
  const result = await build({
    entryPoints: { shell: path.join(shellDir, 'src/main.ts') },
    outdir: dist,
    bundle: true,
    splitting: true,
    format: 'esm',
    minify: true,
    sourcemap: 'linked',
    target,
    entryNames: '[name]',
    chunkNames: 'chunks/[name]-[hash]',
    assetNames: 'assets/[name]-[hash]',
    metafile: true,
    legalComments: 'linked',
    logLevel: 'warning',
    alias: { '@oneservice/plugin-sdk/ui': path.join(root, 'plugin-sdk/src/ui/index.ts') },
  });
  const hash = (file) => createHash('sha256').update(readFileSync(path.join(dist, file))).digest('hex').slice(0, 10);
  // index.html is served for every app route (SPA fallback), so asset URLs must be absolute; the
  // content hash in the query lets the server cache them for long.
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>OneService</title>
<link rel="icon" href="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E%3Cpath d='M8 0l8 8-8 8-8-8z' fill='%23632ca6'/%3E%3C/svg%3E">
<link rel="stylesheet" href="/shell.css?v=${hash('shell.css')}">
<script type="module" src="/shell.js?v=${hash('shell.js')}"></script>
</head>
<body>
<noscript>OneService needs JavaScript.</noscript>
</body>
</html>
`;
  writeFileSync(path.join(dist, 'index.html'), html);
  return result.metafile;
}

/** Fails a plugin build that imports ECharts: it would ship a second copy to every browser. */
const noEcharts = {
  name: 'no-echarts-in-plugins',
  setup(b) {
    b.onResolve({ filter: /^(echarts|zrender)(\/|$)/ }, (args) => ({
      errors: [{ text: `${args.path} is not allowed in a plugin page: use ctx.ui.timeSeriesChart (the shell loads ECharts once)` }],
    }));
  },
};

async function buildPlugins() {
  const pluginsDir = path.join(root, 'plugins');
  const ids = existsSync(pluginsDir) ? readdirSync(pluginsDir).filter((id) => existsSync(path.join(pluginsDir, id, 'src/ui/index.ts'))) : [];
  const failures = [];
  for (const id of ids) {
    const dir = path.join(pluginsDir, id);
    try {
      await build({
        entryPoints: [path.join(dir, 'src/ui/index.ts')],
        outfile: path.join(dir, 'dist/ui.js'),
        bundle: true,
        format: 'esm',
        minify: true,
        sourcemap: 'linked',
        target,
        logLevel: 'warning',
        plugins: [noEcharts],
        alias: { '@oneservice/plugin-sdk/ui': path.join(root, 'plugin-sdk/src/ui/index.ts') },
      });
    } catch (e) {
      failures.push(`${id}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return { ids, failures };
}

const meta = await buildShell();
const { ids, failures } = await buildPlugins();
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const outputs = Object.entries(meta.outputs).filter(([f]) => !f.endsWith('.map'));
const first = outputs.filter(([f]) => /dist\/shell\.(js|css)$/.test(f)).reduce((s, [, o]) => s + o.bytes, 0);
console.log(`shell: ${kb(first)} first load (shell.js + shell.css, minified), ${outputs.length} files; plugin pages: ${ids.join(', ') || 'none'}`);
if (failures.length) {
  console.error(`plugin page builds failed:\n  ${failures.join('\n  ')}`);
  process.exit(1);
}
