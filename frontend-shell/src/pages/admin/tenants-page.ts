import type { PageOf, ShellContext, ShellTenant } from '@oneservice/plugin-sdk/ui';
import { button, formatDateTime, h } from '../../ui/dom.js';
import { formField, openFromUrl, pageHeader, showFieldErrors, trackOpen } from '../page-parts.js';

interface TenantRow extends ShellTenant {
  created_at?: string;
  updated_at?: string;
}

/** Tenants (super-admin): list, create, rename, delete. */
export function mount(el: HTMLElement, ctx: ShellContext): void {
  const { ui, api } = ctx;
  const canAdmin = ctx.session.can('tenants:admin');
  const table = ui.table<TenantRow>({
    id: 'tenants',
    searchable: true,
    defaultSort: { field: 'name', direction: 'asc' },
    rowKey: (t) => t.id,
    onRowClick: (t) => edit(t),
    columns: [
      { id: 'name', title: 'Name', sortable: true },
      { id: 'slug', title: 'Slug', sortable: true, render: (t) => h('code', {}, t.slug) },
      { id: 'id', title: 'ID', hidden: true, render: (t) => h('code', {}, t.id) },
      { id: 'created_at', title: 'Created', sortable: true, value: (t) => formatDateTime(t.created_at) },
      { id: 'actions', title: '', align: 'right', render: (t) => h('div', { class: 'row-actions' }, !canAdmin ? null : button('Delete', () => void remove(t), 'ghost', { 'aria-label': `Delete tenant ${t.slug}` })) },
    ],
    source: { kind: 'server', fetch: (q, signal) => api.get<PageOf<TenantRow>>('/tenants', { query: ui.listQuery(q), signal, silent: true }) },
    empty: { title: 'No tenants yet', detail: 'Create the first tenant to invite its users.' },
  });
  el.append(pageHeader('Tenants', ...(canAdmin ? [button('New tenant', () => create(), 'primary')] : [])), table.el);

  function form(t: Partial<TenantRow>, includeSlug: boolean) {
    const slug = formField('Slug', h('input', { class: 'input', name: 'slug', required: true, pattern: '[a-z0-9][a-z0-9-]*', value: t.slug ?? '', autocomplete: 'off' }), 'Lower-case letters, digits and dashes; used at sign-in and in URLs. Cannot change later.');
    const name = formField('Name', h('input', { class: 'input', name: 'name', required: true, value: t.name ?? '' }));
    const error = h('div', { class: 'form-error', role: 'alert' });
    const fields = includeSlug ? [slug, name] : [name];
    return { fields, error, el: h('form', { class: 'form', onsubmit: (ev: Event) => ev.preventDefault() }, ...fields.map((f) => f.el), error) };
  }

  function create() {
    const f = form({}, true);
    ui.modal({
      title: 'New tenant',
      body: f.el,
      actions: [
        { label: 'Cancel' },
        { label: 'Create', kind: 'primary', onClick: async () => {
          const [slug, name] = f.fields.map((x) => x.input.value.trim());
          if (!slug || !name) {
            f.error.textContent = 'Slug and name are required.';
            return false;
          }
          try {
            await api.post('/tenants', { slug, name }, { silent: true });
          } catch (e) {
            if (!showFieldErrors(f.fields, e)) f.error.textContent = (e as Error).message;
            return false;
          }
          ui.toast(`Tenant ${slug} created`, 'success');
          await table.reload();
          return true;
        } },
      ],
    });
  }

  function edit(t: TenantRow) {
    trackOpen(ctx, t.id);
    const f = form(t, false);
    ui.sidePanel({
      title: `Tenant ${t.slug}`,
      body: [f.el, h('h3', { class: 'muted' }, 'Details'), ui.codeViewer(t)],
      onClose: () => trackOpen(ctx, null),
      actions: [
        { label: 'Close' },
        { label: 'Save', kind: 'primary', onClick: async () => {
          const name = f.fields[0]!.input.value.trim();
          if (!name) {
            f.error.textContent = 'The name is required.';
            return false;
          }
          try {
            await api.patch(`/tenants/${encodeURIComponent(t.id)}`, { name }, { silent: true });
          } catch (e) {
            if (!showFieldErrors(f.fields, e)) f.error.textContent = (e as Error).message;
            return false;
          }
          ui.toast('Tenant saved', 'success');
          await table.reload();
          return true;
        } },
      ],
    });
  }

  async function remove(t: TenantRow) {
    if (!(await ui.confirm(`Delete tenant ${t.slug}?`, `All of ${t.name}'s users, tokens and data bindings are removed. This cannot be undone.`, 'Delete tenant'))) return;
    await api.delete(`/tenants/${encodeURIComponent(t.id)}`).then(() => {
      ui.toast(`Tenant ${t.slug} deleted`, 'success');
      return table.reload();
    }, () => undefined);
  }

  openFromUrl(ctx, (id) => {
    void api.get<TenantRow>(`/tenants/${encodeURIComponent(id)}`).then(edit, () => trackOpen(ctx, null));
  });
}
