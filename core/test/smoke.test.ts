import { startTestKernel, type TestKernel } from '@oneservice/plugin-sdk/testing';

let k: TestKernel;
beforeAll(async () => {
  k = await startTestKernel();
});
afterAll(async () => {
  await k?.stop();
});

it('boots, signs in and answers /me', async () => {
  const token = await k.login('a', 'SRE');
  const me = await k.request('GET', '/api/v1/me', { token });
  expect(me.status).toBe(200);
  expect(me.body.user.role).toBe('SRE');
  expect(me.body.tenant.slug).toBe('tenant-a');
});
