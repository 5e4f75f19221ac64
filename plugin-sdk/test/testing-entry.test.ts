import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const root = path.resolve(import.meta.dirname, '..', '..');

// Plain Node, outside jest, on the built packages (npm test builds first): the harness entry must not
// pull in the contract suites' @jest/globals, and finds @oneservice/core as its optional peer.
const script = `
  const { startTestKernel } = await import('@oneservice/plugin-sdk/testing');
  const k = await startTestKernel();
  const health = await k.request('GET', '/healthz');
  await k.stop();
  console.log(JSON.stringify({ status: health.status }));
`;

it('boots a kernel through @oneservice/plugin-sdk/testing outside jest', async () => {
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { cwd: root, env: process.env });
  expect(JSON.parse(stdout.trim().split('\n').pop()!)).toEqual({ status: 200 });
});
