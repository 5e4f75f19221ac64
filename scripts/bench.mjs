// `npm run bench`: every benchmark of the project, one after another; each prints its figures.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const suites = [
  'scripts/bench-kernel.mjs', 'scripts/bench-training.mjs', 'frontend-shell/bench.mjs', 'frontend-shell/bench-run-logs.mjs',
  'plugins/logs-embedded/bench/bench-logs.mjs', 'plugins/events-embedded/bench/bench-events.mjs',
  'scripts/bench-run-page.mjs',
  'plugins/training/bench/bench-runs-page.mjs',
  'plugins/training/bench/bench-compare.mjs',
];
let failed = 0;
for (const suite of suites) {
  if (!existsSync(path.join(root, suite))) continue;
  console.log(`\n### ${suite}`);
  try {
    execFileSync(process.execPath, [suite], { cwd: root, stdio: 'inherit' });
  } catch {
    failed += 1;
    console.log(`${suite} failed`);
  }
}
process.exit(failed ? 1 : 0);
