// Rewrites README's table of plugin settings from every plugin manifest (npm run build first).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { discoverPlugins, renderSettingsTable, ROOT_DIR, withSettingsTable } from '../core/dist/index.js';

const file = path.join(ROOT_DIR, 'README.md');
const { plugins } = discoverPlugins(ROOT_DIR, []);
writeFileSync(file, withSettingsTable(readFileSync(file, 'utf8'), renderSettingsTable(plugins.map((p) => p.manifest))));
console.log('wrote the plugin settings table in README.md');
