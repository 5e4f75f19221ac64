import type { ShellContext } from '@oneservice/plugin-sdk/ui';
import { button, formatDateTime, h } from '../../ui/dom.js';
import { formField, openFromUrl, pageHeader, trackOpen } from '../page-parts.js';
import type { PluginInfo } from './plugin-info.js';

interface Datasource {
  id: string;
  plugin_id: string;
  name: string;
  settings: Record<string, unknown>;
  created_at?: string;
  updated_at?: string;
}

/**
 * Datasource bindings of the acting tenant: which engine each plugin talks to. The form for a
 * binding is generated from the plugin's settings JSON Schema; "Test connection" asks the kernel
 * to try the settings before they are saved.
 */
export function mount(el: HTMLElement, ctx: ShellContext): void {
  const { ui, api } = ctx;
  const canAdmin = ctx.session.can('datasources:admin');
  let plugins: PluginInfo[] = [];
  const pluginName = (id: string) => plugins.find((p) => p.id === id)?.displayName ?? id;

  const newButton = button('New binding', () => edit(null), 'primary', { disabled: true, hidden: !canAdmin });
  const table = ui.table<Datasource>({
    id: 'datasources',
    searchable: true,
    rowKey: (d) => d.id,
    defaultSort: { field: 'name', direction: 'asc' },
    onRowClick: (d) => (canAdmin ? edit(d) : ui.sidePanel({ title: d.name, body: ui.codeViewer(d, 'json'), actions: [{ label: 'Close' }] })),
    columns: [
      { id: 'name', title: 'Name', sortable: true },
      { id: 'plugin_id', title: 'Plugin', sortable: true, value: (d) => pluginName(d.plugin_id) },
      { id: 'updated_at', title: 'Updated', sortable: true, value: (d) => formatDateTime(d.updated_at ?? d.created_at) },
      { id: 'actions', title: '', align: 'right', render: (d) => h('div', { class: 'row-actions' }, !canAdmin ? null : button('Delete', () => void remove(d), 'ghost', { 'aria-label': `Delete binding ${d.name}` })) },
    ],
    source: { kind: 'local', rows: [] },
    empty: { title: 'No datasource bindings', detail: 'Without a binding, each plugin uses the embedded default store. Bind a plugin to an external engine (Prometheus, OpenSearch, S3…) here.' },
  });
  el.append(pageHeader('Datasources', newButton), table.el);

  const load = async () => {
    try {
      const [p, d] = await Promise.all([
        api.get<{ items: PluginInfo[] }>('/plugins', { silent: true }),
        api.get<{ items: Datasource[] }>('/datasources', { query: { page_size: 200 }, silent: true }),
      ]);
      plugins = p.items.filter((x) => x.settingsSchema);
      newButton.disabled = plugins.length === 0;
      newButton.title = plugins.length ? '' : 'No installed plugin has settings to bind';
      table.setRows(d.items);
      return d.items;
    } catch (e) {
      el.querySelector('.table-frame')?.replaceChildren(ui.error({ title: 'Could not load the datasources', detail: (e as Error).message, action: { label: 'Retry', onClick: () => void load() } }));
      return [];
    }
  };

  function edit(existing: Datasource | null) {
    if (existing) trackOpen(ctx, existing.id);
    const pluginSelect = h('select', { class: 'input', name: 'plugin_id', disabled: Boolean(existing) }, ...plugins.map((p) => h('option', { value: p.id }, p.displayName)));
    if (existing) pluginSelect.value = existing.plugin_id;
    const plugin = formField('Plugin', pluginSelect);
    const name = formField('Name', h('input', { class: 'input', name: 'name', required: true, value: existing?.name ?? '' }));
    const schemaSlot = h('div');
    const result = h('div', { role: 'status', 'aria-live': 'polite' });
    const error = h('div', { class: 'form-error', role: 'alert' });
    let form = ui.schemaForm({}, {});
    const renderSchema = () => {
      const p = plugins.find((x) => x.id === pluginSelect.value);
      form = ui.schemaForm(p?.settingsSchema ?? {}, existing?.plugin_id === pluginSelect.value ? existing.settings : {});
      schemaSlot.replaceChildren(h('h3', { class: 'field-label' }, 'Settings'), form.el);
      result.replaceChildren();
    };
    pluginSelect.addEventListener('change', renderSchema);
    renderSchema();

    const test = button('Test connection', async () => {
      if (!form.validate()) return;
      test.disabled = true;
      result.replaceChildren(ui.loading('Testing…'));
      try {
        const r = await api.post<{ ok: boolean; message: string }>('/datasources/test', { plugin_id: pluginSelect.value, settings: form.value() }, { silent: true });
        result.replaceChildren(h('div', { class: `notice ${r.ok ? '' : 'form-error'}` }, h('strong', {}, r.ok ? 'Connected. ' : 'Failed. '), r.message));
      } catch (e) {
        result.replaceChildren(h('div', { class: 'form-error' }, (e as Error).message));
      } finally {
        test.disabled = false;
      }
    });

    const save = async () => {
      error.textContent = '';
      if (!name.input.value.trim()) {
        error.textContent = 'Give the binding a name.';
        return false;
      }
      if (!form.validate()) return false;
      try {
        if (existing) await api.patch(`/datasources/${encodeURIComponent(existing.id)}`, { name: name.input.value.trim(), settings: form.value() }, { silent: true });
        else await api.post('/datasources', { plugin_id: pluginSelect.value, name: name.input.value.trim(), settings: form.value() }, { silent: true });
      } catch (e) {
        const err = e as { problem?: { errors?: { path: string; message: string }[] }; message: string };
        if (err.problem?.errors?.length) form.showErrors(err.problem.errors);
        error.textContent = err.message;
        return false;
      }
      ui.toast(`Binding ${name.input.value.trim()} saved`, 'success');
      await load();
      return true;
    };

    ui.sidePanel({
      title: existing ? `Binding ${existing.name}` : 'New datasource binding',
      size: 'large',
      onClose: () => trackOpen(ctx, null),
      body: h('form', { class: 'form', onsubmit: (ev: Event) => ev.preventDefault() }, plugin.el, name.el, schemaSlot, h('div', {}, test), result, error),
      actions: [{ label: 'Cancel' }, { label: 'Save', kind: 'primary', onClick: save }],
    });
  }

  async function remove(d: Datasource) {
    if (!(await ui.confirm(`Delete binding ${d.name}?`, `${pluginName(d.plugin_id)} falls back to its default store for this tenant.`, 'Delete binding'))) return;
    await api.delete(`/datasources/${encodeURIComponent(d.id)}`).then(() => {
      ui.toast(`Binding ${d.name} deleted`, 'success');
      return load();
    }, () => undefined);
  }

  void load().then((rows) => openFromUrl(ctx, (id) => {
    const d = rows.find((r) => r.id === id);
    if (d && canAdmin) edit(d);
    else trackOpen(ctx, null);
  }));
}
