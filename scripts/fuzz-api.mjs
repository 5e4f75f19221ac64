// The OpenAPI fuzz stage: `node scripts/fuzz-api.mjs` after `npm run build` (.ci/run runs it).
// Schemathesis (PyPI, pinned) generates requests from the started platform's /api/openapi.json — documented
// examples, boundary values, random data and chains of calls — and fails on any 5xx answer or any answer
// outside its documented schema. Exits non-zero on any failure. FUZZ_MAX_EXAMPLES and FUZZ_SEED override
// the defaults; FUZZ_REPORT_DIR keeps the reports (JUnit + NDJSON of every failure).
//
// The passes, in this order, and why:
//  1. the read-only user, every authenticated operation: nothing it may do changes what the next pass needs;
//  2. the tenant admin, every authenticated operation but enabling/disabling plugins: it creates, changes and
//     deletes freely (it cannot delete or demote itself, and it is not a platform super-admin, so the tenant
//     stays), and may delete the read-only user, whose pass is done. The fuzzer cannot revoke its own
//     credential: the passes use access tokens (JWTs), never API tokens, so
//     DELETE /auth/api-tokens/{id} revokes nothing it holds, and sign-out is only fuzzed in the last pass;
//  3. the tenant admin, PUT /plugins/{id}: switching a plugin off hides that plugin's routes, so it comes after
//     every other operation was fuzzed;
//  4. sign-in, refresh and sign-out, without a credential, last: failed sign-ins are throttled by email and by
//     address, so fuzzing /auth/login locks the demo accounts (and 127.0.0.1) for a while; nothing signs in
//     after it. Refresh and logout with made-up tokens revoke nothing of ours (the passes use access tokens).
// Not fuzzed: Server-Sent Events — GET /runs/{id}/stream, and GET /runs/{id}/logs with follow=true. A stream
// never ends and its keep-alive comments beat any read timeout, so a fuzzer would hang on the first one. The
// fuzzed document is /api/openapi.json less these (the stream operations, and each `follow` parameter); the
// streams are covered by the training plugin's jest suite and the browser suite.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, signIn, startPlatform } from './lib/platform-process.mjs';

const SCHEMATHESIS = 'schemathesis==4.32.5';
const VENV = path.join(ROOT, '.fuzz', 'venv');
const ST = path.join(VENV, 'bin', 'st');
const SEED = process.env.FUZZ_SEED ?? '20261201';
const MAX_EXAMPLES = process.env.FUZZ_MAX_EXAMPLES ?? '25';
const REPORT_DIR = process.env.FUZZ_REPORT_DIR ?? mkdtempSync(path.join(os.tmpdir(), 'oneservice-fuzz-'));
mkdirSync(REPORT_DIR, { recursive: true });

const AUTH = '^/api/v1/auth/(login|logout|token/refresh)$';
const PLUGIN_SWITCH = '^/api/v1/plugins/\\{id\\}$';

const log = (message) => console.log(`[fuzz-api] ${message}`);

function prepareSchemathesis() {
  const wanted = SCHEMATHESIS.split('==')[1];
  const installed = existsSync(ST) ? spawnSync(ST, ['--version'], { encoding: 'utf8' }).stdout : '';
  if (installed.includes(wanted)) return;
  if (!existsSync(VENV)) {
    log(`creating ${path.relative(ROOT, VENV)}`);
    mkdirSync(path.dirname(VENV), { recursive: true });
    execFileSync(process.env.PYTHON ?? 'python3', ['-m', 'venv', VENV], { stdio: 'inherit' });
  }
  log(`installing ${SCHEMATHESIS} (pip's cache is reused)`);
  execFileSync(path.join(VENV, 'bin', 'python'), ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', SCHEMATHESIS], { stdio: 'inherit', timeout: 600_000 });
}

/** The platform's document without its streams (see the top of this file), written where schemathesis reads it. */
async function fuzzedDocument(baseUrl) {
  const document = await (await fetch(`${baseUrl}/api/openapi.json`)).json();
  for (const [path, operations] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      const success = Object.entries(operation.responses ?? {}).filter(([status]) => status.startsWith('2'));
      const types = success.flatMap(([, response]) => Object.keys(response.content ?? {}));
      if (types.length > 0 && types.every((type) => type === 'text/event-stream')) delete operations[method];
      else operation.parameters = (operation.parameters ?? []).filter((parameter) => !(parameter.in === 'query' && parameter.name === 'follow'));
    }
    if (Object.keys(operations).length === 0) delete document.paths[path];
  }
  const file = path.join(REPORT_DIR, 'openapi-fuzzed.json');
  writeFileSync(file, JSON.stringify(document));
  return file;
}

/** One schemathesis run; returns whether it found nothing. */
function fuzz(name, baseUrl, document, { token, include, exclude }) {
  const started = Date.now();
  const args = [
    'run', document, '--url', baseUrl,
    '--checks', 'not_a_server_error,response_schema_conformance',
    '--phases', 'examples,coverage,fuzzing,stateful',
    '--seed', SEED, '--max-examples', MAX_EXAMPLES,
    // One worker: CPython 3.11's ast.parse is not thread-safe ("AST constructor recursion depth mismatch"),
    // and hypothesis parses lambdas while schemathesis's workers generate in threads.
    '--generation-database', 'none', '--workers', '1', '--request-timeout', '20',
    '--no-color', '--warnings', 'off',
    '--report', 'junit,ndjson', '--report-dir', path.join(REPORT_DIR, name),
    ...(token ? ['--header', `Authorization: Bearer ${token}`] : []),
    ...(include ? ['--include-path-regex', include] : []),
    ...(exclude ? ['--exclude-path-regex', exclude] : []),
  ];
  log(`pass "${name}"`);
  // In the report folder: schemathesis keeps a cache of crashes in its working directory.
  const result = spawnSync(ST, args, { stdio: 'inherit', cwd: REPORT_DIR });
  log(`pass "${name}": ${result.status === 0 ? 'no failures' : `FAILED (exit ${result.status})`} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return result.status === 0;
}

const started = Date.now();
prepareSchemathesis();
const platform = await startPlatform({ demo: true });
log(`platform at ${platform.baseUrl}; reports under ${REPORT_DIR}`);
const failed = [];
try {
  const READONLY = 'readonly@demo-tenant.local';
  const ADMIN = 'tenant_admin@demo-tenant.local';
  const passes = [
    ['read-only user', { user: READONLY, exclude: AUTH }],
    ['tenant admin', { user: ADMIN, exclude: `${AUTH}|${PLUGIN_SWITCH}` }],
    ['tenant admin: plugin switches', { user: ADMIN, include: PLUGIN_SWITCH }],
    ['sign-in, refresh, sign-out', { include: AUTH }],
  ];
  const document = await fuzzedDocument(platform.baseUrl);
  // Signed in before any pass (access tokens last 15 minutes, the stage a few): a sign-in between passes
  // would reuse a keep-alive socket idle for a whole pass.
  const tokens = new Map();
  for (const [, { user }] of passes) if (user && !tokens.has(user)) tokens.set(user, await signIn(platform.baseUrl, user));
  for (const [name, { user, ...options }] of passes) {
    if (!fuzz(name, platform.baseUrl, document, { token: tokens.get(user), ...options })) failed.push(name);
    if (platform.child.exitCode !== null) throw new Error(`the platform exited (${platform.child.exitCode}) during pass "${name}"`);
  }
} catch (error) {
  console.error(`[fuzz-api] ${error.message}\n--- the platform's output, last lines ---\n${platform.output().slice(-4000)}`);
  failed.push('the run itself');
} finally {
  await platform.stop();
}
log(`${failed.length === 0 ? 'passed' : `FAILED: ${failed.join(', ')}`} in ${((Date.now() - started) / 1000).toFixed(1)} s (seed ${SEED}, at most ${MAX_EXAMPLES} examples an operation)`);
process.exit(failed.length === 0 ? 0 : 1);
