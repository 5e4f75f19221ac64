// Kernel benchmark: authenticated GET /api/v1/users under 200 concurrent connections (autocannon),
// and the sign-in rate at the configured argon2 cost. Prints figures; asserts nothing.
import autocannon from 'autocannon';
import { signIn, startPlatform } from './lib/platform-process.mjs';

const platform = await startPlatform({ demo: true, env: { LOG_LEVEL: 'warn' } });
try {
  const token = await signIn(platform.baseUrl, 'tenant_admin@demo-tenant.local');
  const run = (options) => new Promise((resolve, reject) => autocannon(options, (error, result) => (error ? reject(error) : resolve(result))));
  await run({ url: `${platform.baseUrl}/api/v1/users`, connections: 50, duration: 3, headers: { authorization: `Bearer ${token}` } }); // warm-up
  const list = await run({ url: `${platform.baseUrl}/api/v1/users?page_size=50`, connections: 200, duration: 15, headers: { authorization: `Bearer ${token}` } });
  const non2xx = list.non2xx + list.errors;
  console.log(`kernel: GET /api/v1/users, 200 connections, 15 s: ${Math.round(list.requests.average)} requests/s, latency p50 ${list.latency.p50} ms, p99 ${list.latency.p99} ms, max ${list.latency.max} ms, non-2xx/errors ${non2xx}`);

  const body = JSON.stringify({ username: 'pm@demo-tenant.local', password: 'oneservice-demo' });
  const login = await run({ url: `${platform.baseUrl}/api/v1/auth/login`, method: 'POST', body, headers: { 'content-type': 'application/json' }, connections: 8, duration: 10 });
  console.log(`kernel: POST /api/v1/auth/login (argon2id m=19 MiB, t=2), 8 connections, 10 s: ${Math.round(login.requests.average)} sign-ins/s, p50 ${login.latency.p50} ms, p99 ${login.latency.p99} ms, non-2xx ${login.non2xx}`);
} finally {
  await platform.stop();
}
