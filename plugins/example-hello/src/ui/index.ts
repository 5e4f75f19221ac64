// The example page of docs/plugin-guide.md. A plugin page is an ES module with `mount(el, ctx)` and
// `unmount()`; everything it needs arrives in `ctx`, and only types are imported from the SDK, so
// the bundle holds nothing but this file.
import type { LogViewerHandle, PageModule, SearchProvider, ShellContext, TimeRangeChange } from '@oneservice/plugin-sdk/ui';

/** Undo functions collected while mounted; `unmount` runs them. */
let disposers: (() => void)[] = [];

export function mount(el: HTMLElement, ctx: ShellContext): void {
  const render = () => {
    el.replaceChildren();
    const path = ctx.router.location.path;
    if (path === '/hello/about') renderAbout(el, ctx);
    else if (path === '/hello/rows') renderRows(el, ctx);
    else renderOverview(el, ctx);
  };
  render();
  // The shell keeps this module mounted while the path stays under /hello: follow tab changes here.
  let lastPath = ctx.router.location.path;
  disposers.push(
    ctx.router.subscribe((loc) => {
      if (loc.path !== lastPath) {
        lastPath = loc.path;
        disposeView();
        render();
      }
    }),
  );
}

export function unmount(): void {
  disposeView();
  for (const d of disposers) d();
  disposers = [];
}

/** Subscriptions of the view on screen (the overview re-subscribes each time it renders). */
let viewDisposers: (() => void)[] = [];
function disposeView(): void {
  for (const d of viewDisposers) d();
  viewDisposers = [];
}

function renderOverview(el: HTMLElement, ctx: ShellContext): void {
  const { ui, session } = ctx;
  const { h } = ui;
  ctx.setTitle('Hello');
  const who = session.user.display_name || session.user.email;

  // 1. Stats: what the session says about the user.
  const rangeStat = ui.stat({ label: 'Time range span', value: null, unit: 'min' });
  const stats = ui.card({
    title: `Hello, ${who}`,
    subtitle: session.tenant ? `Tenant ${session.tenant.name}` : 'No tenant chosen',
    span: 12,
    body: h(
      'div',
      { class: 'card-grid' },
      ui.card({ span: 4, body: ui.stat({ label: 'Role', value: session.isSuperAdmin ? 'Super-admin' : session.user.role }).el }).el,
      ui.card({ span: 4, body: ui.stat({ label: 'Permissions', value: session.permissions.length }).el }).el,
      ui.card({ span: 4, body: rangeStat.el }).el,
    ),
  });

  // 2. A chart over the global time range. The signal is computed here (this plugin has no server
  //    part); a real plugin would fetch its series with ctx.api. Dragging on it zooms the range.
  const chart = ui.timeSeriesChart({ series: [], height: 220 });
  const chartCard = ui.card({ title: 'Demo signal', subtitle: 'Computed in the browser for the chosen range: drag to zoom', span: 8, body: chart.el });

  // 3. The user's permissions, in the kit's table (local rows: sorting, search, URL state).
  const table = ui.table<{ permission: string; resource: string; action: string }>({
    id: 'hello-permissions',
    urlPrefix: 'perm',
    searchable: true,
    pageSize: 10,
    rowKey: (r) => r.permission,
    columns: [
      { id: 'permission', title: 'Permission', sortable: true },
      { id: 'resource', title: 'Resource', sortable: true },
      { id: 'action', title: 'Action', sortable: true },
    ],
    source: {
      kind: 'local',
      rows: session.permissions.map((p) => {
        const [resource = p, action = ''] = p.split(':');
        return { permission: p, resource, action };
      }),
    },
    empty: { title: 'No permissions', detail: 'This role holds no permission in this tenant.' },
  });
  const tableCard = ui.card({ title: 'Your permissions', span: 4, body: table.el });

  // 4. A real API call through ctx.api (auth, tenant header and errors handled by the shell).
  const meCard = ui.card({ title: 'GET /api/v1/me', span: 6, body: ui.loading() });
  const loadMe = () => {
    meCard.setBody(ui.loading());
    ctx.api.get<unknown>('/me', { silent: true }).then(
      (me) => meCard.setBody(ui.codeViewer(me, 'json')),
      (e: Error) => meCard.setBody(ui.error({ title: 'Could not load /me', detail: e.message, action: { label: 'Retry', onClick: loadMe } })),
    );
  };
  loadMe();

  // 5. A log viewer fed with what happens on this page.
  const log: LogViewerHandle = ui.logViewer({ height: 200, lines: [{ ts: Date.now(), level: 'info', source: 'hello', message: `mounted for ${session.user.email}` }] });
  const logCard = ui.card({ title: 'Page events', span: 6, body: log.el });

  el.append(
    // The shell's top bar already shows the time-range picker; ui.timeRangePicker() is for pages
    // that want a second one inside a card.
    h('div', { class: 'page-header' }, h('h1', {}, 'Hello')),
    ui.grid(stats, chartCard, tableCard, meCard, logCard),
  );

  const update = (change?: TimeRangeChange) => {
    const { start, end } = ctx.timeRange.resolve();
    rangeStat.update(Math.round((end.getTime() - start.getTime()) / 60_000));
    chart.setSeries(demoSeries(start.getTime(), end.getTime()));
    if (change) log.append([{ ts: Date.now(), level: change.reason === 'refresh' ? 'debug' : 'info', source: 'time-range', message: `${change.reason}: ${change.value.from} → ${change.value.to}` }]);
  };
  update();
  viewDisposers.push(ctx.timeRange.subscribe(update));
}

/**
 * 10,000 rows held in the browser: a local table without a page size keeps only the rows in view
 * in the DOM (virtual scrolling), so sorting, searching and scrolling stay fast at this size.
 */
function renderRows(el: HTMLElement, ctx: ShellContext): void {
  const { ui } = ctx;
  const { h } = ui;
  ctx.setTitle('10k rows · Hello');
  const levels = ['debug', 'info', 'warning', 'error'];
  const rows = Array.from({ length: 10_000 }, (_, i) => ({
    n: i + 1,
    name: `job-${String(i + 1).padStart(5, '0')}`,
    level: levels[(i * 7) % levels.length]!,
    // A deterministic spread of values, so sorting by it visibly reorders the rows.
    value: Math.round(((i * 7919) % 10_007) / 10) / 100,
  }));
  const table = ui.table<(typeof rows)[number]>({
    id: 'hello-rows',
    urlPrefix: 'rows',
    searchable: true,
    height: 480,
    rowKey: (r) => String(r.n),
    columns: [
      { id: 'n', title: '#', sortable: true, align: 'right', width: '90px' },
      { id: 'name', title: 'Name', sortable: true },
      { id: 'level', title: 'Level', sortable: true },
      { id: 'value', title: 'Value', sortable: true, align: 'right' },
    ],
    source: { kind: 'local', rows },
  });
  el.append(h('div', { class: 'page-header' }, h('h1', {}, '10,000 rows')), ui.grid(ui.card({ title: 'A virtualised table', subtitle: 'Only the rows in view are in the page; scroll, sort or search', span: 12, body: table.el })));
}

function renderAbout(el: HTMLElement, ctx: ShellContext): void {
  const { ui } = ctx;
  const { h } = ui;
  ctx.setTitle('About · Hello');
  el.append(
    h('div', { class: 'page-header' }, h('h1', {}, 'About this plugin')),
    ui.grid(
      ui.card({
        title: 'A page-only plugin',
        span: 12,
        body: [
          h('p', {}, 'This page is plugins/example-hello/src/ui/index.ts, bundled to dist/ui.js. The shell imports it when /hello is opened and hands it a ShellContext.'),
          h('p', {}, 'Its manifest declares the menu entries, a permission granted to every role, and the frontend entry:'),
          ui.codeViewer({ contributes: { menus: { primary: [{ id: 'example-hello', title: 'Hello', icon: 'sparkles', order: 1000, permission: 'example-hello:read' }] }, frontend: { entry: 'dist/ui.js' } } }, 'json'),
          h('p', {}, h('a', { href: ctx.router.href('/hello') }, 'Back to the overview')),
        ],
      }),
    ),
  );
}

/** A smooth, deterministic signal for the range (two sines and a slow trend), 120 points. */
function demoSeries(start: number, end: number) {
  const step = Math.max(1000, Math.floor((end - start) / 120));
  const a: { t: number; v: number }[] = [];
  const b: { t: number; v: number }[] = [];
  for (let t = start; t <= end; t += step) {
    const x = t / 3_600_000;
    a.push({ t, v: 50 + 30 * Math.sin(x * 2 * Math.PI) + 5 * Math.sin(x * 17) });
    b.push({ t, v: 40 + 20 * Math.cos(x * 2 * Math.PI * 0.5) });
  }
  return [
    { name: 'signal-a', points: a },
    { name: 'signal-b', points: b },
  ];
}

/** Global search (Ctrl+K): "hello" and the user's permission names lead here. */
export function searchProviders(ctx: ShellContext): SearchProvider[] {
  return [
    {
      id: 'example-hello',
      title: 'Hello plugin',
      async search(q) {
        const needle = q.toLowerCase();
        const hits = ctx.session.permissions.filter((p) => p.includes(needle)).slice(0, 5);
        const results = hits.map((p) => ({ id: p, title: p, subtitle: 'Permission you hold', href: `/hello?perm.q=${encodeURIComponent(p)}` }));
        if ('hello'.includes(needle)) results.unshift({ id: 'hello', title: 'Hello page', subtitle: 'Example plugin', href: '/hello' });
        return results;
      },
    },
  ];
}

// Type check: this module satisfies the page contract.
const _contract: PageModule = { mount, unmount, searchProviders };
void _contract;
