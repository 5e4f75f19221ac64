// Kernel benchmark: authenticated GET /api/v1/users under 200 concurrent connections (autocannon),
// and the sign-in rate at the configured argon2 cost. Prints figures; asserts nothing.
// Beside requests/s and latency it prints the CPU each request cost the platform process and its
// PostgreSQL (from /proc), which stays comparable on a busy machine where the rates do not; and the
// load average before and after, to judge the rates by. NODE_CPU_PROF=<dir> writes a V8 CPU profile
// of the platform there (node --cpu-prof).
import autocannon from 'autocannon';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { signIn, startPlatform } from './lib/platform-process.mjs';

const cpuProf = process.env.NODE_CPU_PROF;
const DURATION = Number(process.env.BENCH_SECONDS ?? 15);
const load = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');
const ticksPerSecond = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** [pid, ppid, own cpu seconds, reaped children's cpu seconds] from /proc/<pid>/stat. */
function stat(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    const n = (i) => Number(fields[i - 3]);
    return { ppid: n(4), own: (n(14) + n(15)) / ticksPerSecond, reaped: (n(16) + n(17)) / ticksPerSecond };
  } catch {
    return null;
  }
}

/** CPU seconds used so far by the platform process and by its PostgreSQL (postmaster, backends, reaped ones). */
function cpuSeconds(platform) {
  const node = stat(platform.child.pid)?.own ?? NaN;
  const pidFile = path.join(platform.dataDir, 'postgres', 'postmaster.pid');
  if (!existsSync('/proc') || !existsSync(pidFile)) return { node, postgres: NaN };
  const postmaster = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  const main = stat(postmaster);
  let postgres = main ? main.own + main.reaped : NaN;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const s = stat(Number(entry));
    if (s && s.ppid === postmaster) postgres += s.own;
  }
  return { node, postgres };
}

const run = (options) => new Promise((resolve, reject) => autocannon(options, (error, result) => (error ? reject(error) : resolve(result))));

console.log(`kernel benchmark: ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? ''}), load average ${load()} before`);
const platform = await startPlatform({ demo: true, env: { LOG_LEVEL: 'warn' }, nodeArgs: cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${cpuProf}`] : [] });
try {
  const token = await signIn(platform.baseUrl, 'tenant_admin@demo-tenant.local');
  const headers = { authorization: `Bearer ${token}` };
  const url = `${platform.baseUrl}/api/v1/users?page_size=50`;
  await run({ url, connections: 50, duration: 3, headers }); // warm-up: JIT, pool, caches

  const alone = await run({ url, connections: 1, duration: 3, headers });
  console.log(`kernel: GET /api/v1/users, 1 connection, 3 s: ${Math.round(alone.requests.average)} requests/s, latency p50 ${alone.latency.p50} ms, p99 ${alone.latency.p99} ms`);

  const before = cpuSeconds(platform);
  const list = await run({ url, connections: 200, duration: DURATION, headers });
  const after = cpuSeconds(platform);
  const perRequest = (key) => (((after[key] - before[key]) / list.requests.total) * 1e6).toFixed(0);
  console.log(`kernel: GET /api/v1/users, 200 connections, ${DURATION} s: ${Math.round(list.requests.average)} requests/s, latency p50 ${list.latency.p50} ms, p99 ${list.latency.p99} ms, max ${list.latency.max} ms, non-2xx/errors ${list.non2xx + list.errors} (aim: ≥ 3,000 requests/s, p99 ≤ 50 ms)`);
  console.log(`kernel: CPU per GET /api/v1/users: platform ${perRequest('node')} µs, PostgreSQL ${perRequest('postgres')} µs`);

  if (process.env.BENCH_LOGIN === '0') process.exit(await platform.stop().then(() => 0)); // A/B runs of the list alone
  const body = JSON.stringify({ username: 'pm@demo-tenant.local', password: 'oneservice-demo' });
  const login = await run({ url: `${platform.baseUrl}/api/v1/auth/login`, method: 'POST', body, headers: { 'content-type': 'application/json' }, connections: 8, duration: 10 });
  console.log(`kernel: POST /api/v1/auth/login (argon2id m=19 MiB, t=2), 8 connections, 10 s: ${Math.round(login.requests.average)} sign-ins/s, p50 ${login.latency.p50} ms, p99 ${login.latency.p99} ms, non-2xx ${login.non2xx}`);
} finally {
  await platform.stop();
}
console.log(`kernel benchmark: load average ${load()} after (figures taken on a busy machine are low; compare the CPU per request)`);
