import type { ShellContext } from '@oneservice/plugin-sdk/ui';
import { h } from '../../ui/dom.js';
import { pageHeader, requestMenuReload } from '../page-parts.js';
import type { PluginInfo } from './plugin-info.js';

/** Installed plugins and their enablement for the acting tenant. */
export function mount(el: HTMLElement, ctx: ShellContext): void {
  const { ui, api } = ctx;
  const canWrite = ctx.session.can('plugins:admin');

  const toggle = (p: PluginInfo) => {
    const box = h('input', { type: 'checkbox', role: 'switch', checked: p.enabled, disabled: !canWrite, 'aria-label': `${p.enabled ? 'Disable' : 'Enable'} ${p.displayName} for this tenant` });
    box.addEventListener('change', async () => {
      const enabled = box.checked;
      box.disabled = true;
      try {
        await api.put(`/plugins/${encodeURIComponent(p.id)}`, { enabled });
        p.enabled = enabled;
        ui.toast(`${p.displayName} ${enabled ? 'enabled' : 'disabled'} for this tenant`, 'success');
        requestMenuReload();
      } catch {
        box.checked = !enabled;
      } finally {
        box.disabled = !canWrite;
      }
    });
    return h('label', { class: 'check' }, box, h('span', {}, p.enabled ? 'Enabled' : 'Disabled'));
  };

  const table = ui.table<PluginInfo>({
    id: 'plugins',
    searchable: true,
    rowKey: (p) => p.id,
    defaultSort: { field: 'displayName', direction: 'asc' },
    onRowClick: (p) => ui.sidePanel({ title: p.displayName, body: [p.settingsSchema ? h('h3', {}, 'Settings schema') : h('p', { class: 'muted' }, 'This plugin has no per-tenant settings.'), p.settingsSchema ? ui.codeViewer(p.settingsSchema, 'json') : null].filter((n): n is HTMLElement => n !== null), actions: [{ label: 'Close' }] }),
    columns: [
      { id: 'displayName', title: 'Plugin', sortable: true },
      { id: 'id', title: 'ID', sortable: true, render: (p) => h('code', {}, p.id) },
      { id: 'version', title: 'Version', sortable: true },
      { id: 'kinds', title: 'Kinds', value: (p) => p.kinds.join(', ') },
      { id: 'state', title: 'State', sortable: true, render: (p) => h('span', { class: `badge ${p.state === 'started' ? 'badge-ok' : p.state === 'failed' ? 'badge-danger' : ''}` }, p.state) },
      { id: 'enabled', title: 'This tenant', value: (p) => (p.enabled ? 'enabled' : 'disabled'), render: toggle },
    ],
    source: { kind: 'local', rows: [] },
    empty: { title: 'No plugins installed' },
  });
  el.append(pageHeader('Plugins'), h('p', { class: 'muted' }, canWrite ? 'Turning a plugin off hides its pages and stops its routes for this tenant only.' : 'Only a tenant administrator can change which plugins are enabled.'), table.el);

  const load = async () => {
    try {
      const body = await api.get<{ items: PluginInfo[] }>('/plugins', { silent: true });
      table.setRows(body.items);
    } catch (e) {
      el.querySelector('.table-frame')?.replaceChildren(ui.error({ title: 'Could not load the plugins', detail: (e as Error).message, action: { label: 'Retry', onClick: () => void load() } }));
    }
  };
  void load();
}
