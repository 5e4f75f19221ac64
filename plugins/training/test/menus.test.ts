import { startTestKernel, type TestKernel } from '@oneservice/plugin-sdk/testing';

// The menus the shell draws for the training plugin: which tabs hide the time-range picker, and the
// platform view a super-admin acting for no tenant gets (no plugin pages, which all need a tenant).
const PLUGINS = ['training', 'run-metrics-postgres', 'logs-embedded', 'events-embedded', 'traces-embedded', 'objects-local'];
let k: TestKernel;

beforeAll(async () => {
  k = await startTestKernel({ plugins: PLUGINS });
});
afterAll(async () => {
  await k?.stop();
});

type Menus = { sections: { id: string; tabs: { id: string; route: string; timeRange?: boolean }[] }[]; pages: { route: string }[] };
const menus = async (token: string, tenant?: string) =>
  (await k.request('GET', '/api/v1/ui/menus', { token, ...(tenant ? { headers: { 'x-oneservice-tenant': tenant } } : {}) })).body as Menus;

describe('GET /api/v1/ui/menus', () => {
  it('marks the training tabs that have no use for the time range', async () => {
    const training = (await menus(await k.login('a', 'ML_ENGINEER'))).sections.find((s) => s.id === 'training')!;
    expect(training.tabs).toEqual([
      { id: 'runs', title: 'Runs', route: '/training/runs' },
      { id: 'compare', title: 'Compare', route: '/training/compare', timeRange: false },
    ]);
  });

  it('gives a super-admin acting for no tenant the platform view, and the tenant’s menus once one is named', async () => {
    const admin = await k.login('super');
    const platform = await menus(admin);
    expect(platform.sections.map((s) => [s.id, s.tabs.map((t) => t.id)])).toEqual([['tenants-users', ['tenants', 'audit']]]);
    expect(platform.pages).toEqual([]);
    const inTenant = await menus(admin, k.tenants.a.id);
    expect(inTenant.sections.map((s) => s.id)).toEqual(expect.arrayContaining(['training', 'tenants-users', 'settings']));
    expect(inTenant.pages.map((p) => p.route)).toContain('/training/runs');
  });
});
