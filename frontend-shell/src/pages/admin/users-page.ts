import type { PageOf, ShellContext } from '@oneservice/plugin-sdk/ui';
import { button, formatDateTime, h } from '../../ui/dom.js';
import { ROLES, formField, openFromUrl, pageHeader, roleLabel, showFieldErrors, trackOpen } from '../page-parts.js';

interface UserRow {
  id: string;
  email: string;
  display_name: string;
  role: string;
  tenant_id?: string | null;
  created_at?: string;
  last_login_at?: string | null;
}

const roleSelect = (value = 'READONLY') => {
  const s = h('select', { class: 'input', name: 'role' }, ...ROLES.map((r) => h('option', { value: r }, roleLabel(r))));
  s.value = value;
  return s;
};

/** Users of the acting tenant, with their role: create, change role or name, delete. */
export function mount(el: HTMLElement, ctx: ShellContext): void {
  const { ui, api } = ctx;
  // Reading users needs users:read; changing them users:admin. Without it the page is a directory.
  const canAdmin = ctx.session.can('users:admin');
  const filters = ui.filterBar({
    fields: [{ id: 'role', label: 'Role', kind: 'select', options: ROLES.map((r) => ({ value: r, label: roleLabel(r) })) }],
    onChange: () => undefined, // the table follows the URL (filterKeys)
  });
  const table = ui.table<UserRow>({
    id: 'users',
    searchable: true,
    filterKeys: ['role'],
    defaultSort: { field: 'email', direction: 'asc' },
    rowKey: (u) => u.id,
    onRowClick: (u) => (canAdmin ? edit(u) : show(u)),
    columns: [
      { id: 'email', title: 'Email', sortable: true },
      { id: 'display_name', title: 'Name', sortable: true },
      { id: 'role', title: 'Role', sortable: true, render: (u) => h('span', { class: 'badge' }, roleLabel(u.role)) },
      { id: 'created_at', title: 'Created', sortable: true, value: (u) => formatDateTime(u.created_at) },
      { id: 'last_login_at', title: 'Last sign-in', hidden: true, value: (u) => formatDateTime(u.last_login_at) },
      { id: 'actions', title: '', align: 'right', render: (u) => h('div', { class: 'row-actions' }, u.id === ctx.session.user.id || !canAdmin ? null : button('Delete', () => void remove(u), 'ghost', { 'aria-label': `Delete user ${u.email}` })) },
    ],
    source: { kind: 'server', fetch: (q, signal) => api.get<PageOf<UserRow>>('/users', { query: ui.listQuery(q), signal, silent: true }) },
    empty: { title: 'No users match', detail: 'Change the search or the role filter, or create a user.' },
    toolbar: [filters.el],
  });
  const tenantName = ctx.session.tenant ? ` · ${ctx.session.tenant.name}` : '';
  el.append(pageHeader(`Users${tenantName}`, ...(canAdmin ? [button('New user', () => create(), 'primary')] : [])), table.el);

  function show(u: UserRow) {
    trackOpen(ctx, u.id);
    ui.sidePanel({ title: u.email, body: ui.codeViewer(u, 'json'), onClose: () => trackOpen(ctx, null), actions: [{ label: 'Close' }] });
  }

  function create() {
    const email = formField('Email', h('input', { class: 'input', name: 'email', type: 'email', required: true, autocomplete: 'off' }));
    const name = formField('Display name', h('input', { class: 'input', name: 'display_name', required: true }));
    const role = formField('Role', roleSelect());
    const password = formField('Initial password', h('input', { class: 'input', name: 'password', type: 'password', autocomplete: 'new-password', required: true, minlength: '12' }), 'At least 12 characters. Share it securely; the user should change it.');
    const fields = [email, name, role, password];
    const error = h('div', { class: 'form-error', role: 'alert' });
    ui.modal({
      title: 'New user',
      body: h('form', { class: 'form', onsubmit: (ev: Event) => ev.preventDefault() }, ...fields.map((f) => f.el), error),
      actions: [
        { label: 'Cancel' },
        { label: 'Create user', kind: 'primary', onClick: async () => {
          const body = { email: email.input.value.trim(), display_name: name.input.value.trim(), role: role.input.value, password: password.input.value };
          if (!body.email || !body.display_name || !body.password) {
            error.textContent = 'Email, name and password are required.';
            return false;
          }
          try {
            await api.post('/users', body, { silent: true });
          } catch (e) {
            error.textContent = showFieldErrors(fields, e) ? '' : (e as Error).message;
            return false;
          }
          ui.toast(`User ${body.email} created`, 'success');
          await table.reload();
          return true;
        } },
      ],
    });
  }

  function edit(u: UserRow) {
    trackOpen(ctx, u.id);
    const name = formField('Display name', h('input', { class: 'input', name: 'display_name', value: u.display_name }));
    const role = formField('Role', roleSelect(u.role));
    const self = u.id === ctx.session.user.id;
    if (self) (role.input as HTMLSelectElement).disabled = true; // nobody demotes themselves by accident
    const error = h('div', { class: 'form-error', role: 'alert' });
    ui.sidePanel({
      title: u.email,
      onClose: () => trackOpen(ctx, null),
      body: h('form', { class: 'form', onsubmit: (ev: Event) => ev.preventDefault() }, name.el, role.el, self ? h('p', { class: 'muted' }, 'You cannot change your own role.') : null, error),
      actions: [
        { label: 'Close' },
        { label: 'Save', kind: 'primary', onClick: async () => {
          try {
            await api.patch(`/users/${encodeURIComponent(u.id)}`, { display_name: name.input.value.trim(), ...(self ? {} : { role: role.input.value }) }, { silent: true });
          } catch (e) {
            error.textContent = showFieldErrors([name, role], e) ? '' : (e as Error).message;
            return false;
          }
          ui.toast('User saved', 'success');
          await table.reload();
          return true;
        } },
      ],
    });
  }

  async function remove(u: UserRow) {
    if (!(await ui.confirm(`Delete ${u.email}?`, 'The user can no longer sign in, and their API tokens stop working.', 'Delete user'))) return;
    await api.delete(`/users/${encodeURIComponent(u.id)}`).then(() => {
      ui.toast(`User ${u.email} deleted`, 'success');
      return table.reload();
    }, () => undefined);
  }

  openFromUrl(ctx, (id) => {
    void api.get<UserRow>(`/users/${encodeURIComponent(id)}`).then(canAdmin ? edit : show, () => trackOpen(ctx, null));
  });
}
