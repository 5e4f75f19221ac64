import type { PageOf, ShellContext } from '@oneservice/plugin-sdk/ui';
import { button, formatDateTime, h } from '../../ui/dom.js';
import { formField, pageHeader, showFieldErrors } from '../page-parts.js';

interface ApiToken {
  id: string;
  user_id: string;
  name: string;
  scopes: string[];
  prefix: string;
  expires_at: string | null;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

const SCOPES = [
  { id: 'read', help: 'Read data through the API' },
  { id: 'write', help: 'Change configuration and data' },
  { id: 'ingest', help: 'Send metrics, logs, events and traces (SDK, agent, OTLP)' },
  { id: 'export', help: 'Export reports' },
] as const;

function status(t: ApiToken): HTMLElement {
  if (t.revoked_at) return h('span', { class: 'badge badge-danger' }, 'Revoked');
  if (t.expires_at && new Date(t.expires_at).getTime() < Date.now()) return h('span', { class: 'badge badge-warn' }, 'Expired');
  return h('span', { class: 'badge badge-ok' }, 'Active');
}

/**
 * The user's own API tokens (a tenant admin may list everyone's): create (the secret is shown
 * exactly once) and revoke. Sorting, search and paging are the server's, like every kernel list.
 */
export function mount(el: HTMLElement, ctx: ShellContext): void {
  const { ui, api } = ctx;
  const canSeeAll = ctx.session.can('tokens:admin');
  // "Whose tokens" is a filter like any other, so the admin's view of everyone's tokens is a link.
  const filters = canSeeAll
    ? ui.filterBar({
        fields: [{ id: 'all', label: 'Owner', kind: 'select', options: [{ value: 'true', label: 'Everyone in the tenant' }] }],
        onChange: () => undefined, // the table follows the URL (filterKeys)
      })
    : null;
  const table = ui.table<ApiToken>({
    id: 'api-tokens',
    searchable: true,
    filterKeys: canSeeAll ? ['all'] : [],
    rowKey: (t) => t.id,
    defaultSort: { field: 'created_at', direction: 'desc' },
    columns: [
      { id: 'name', title: 'Name', sortable: true },
      { id: 'prefix', title: 'Prefix', render: (t) => h('code', {}, `${t.prefix}…`) },
      { id: 'owner', title: 'Owner', hidden: !canSeeAll, value: (t) => (t.user_id === ctx.session.user.id ? 'You' : t.user_id) },
      { id: 'scopes', title: 'Scopes', value: (t) => t.scopes.join(', ') },
      { id: 'status', title: 'Status', value: (t) => (t.revoked_at ? 'revoked' : 'active'), render: status },
      { id: 'created_at', title: 'Created', sortable: true, value: (t) => t.created_at, render: (t) => formatDateTime(t.created_at) },
      { id: 'last_used_at', title: 'Last used', sortable: true, value: (t) => t.last_used_at ?? '', render: (t) => formatDateTime(t.last_used_at) },
      { id: 'expires_at', title: 'Expires', sortable: true, value: (t) => t.expires_at ?? '', render: (t) => (t.expires_at ? formatDateTime(t.expires_at) : 'Never') },
      { id: 'actions', title: '', align: 'right', render: (t) => h('div', { class: 'row-actions' }, t.revoked_at ? null : button('Revoke', () => void revoke(t), 'ghost', { 'aria-label': `Revoke token ${t.name}` })) },
    ],
    source: { kind: 'server', fetch: (q, signal) => api.get<PageOf<ApiToken>>('/auth/api-tokens', { query: ui.listQuery(q), signal, silent: true }) },
    empty: { title: 'No API tokens', detail: 'Create a token for the SDK, the agent or scripts that call the API.' },
    toolbar: filters ? [filters.el] : [],
  });
  el.append(
    pageHeader('API tokens', button('New token', () => void create(), 'primary')),
    h('p', { class: 'muted' }, 'A token acts as you, limited to its scopes and to what your role allows. Tokens are stored only as hashes: copy the secret when it is shown.'),
    table.el,
  );
  const refresh = () => table.reload();

  async function create() {
    // Offer only what the role can use: a scope it cannot would make a token that only gets 403.
    const usable = await api
      .get<{ scopes: string[] }>('/auth/api-token/scopes', { silent: true })
      .then((answer) => answer.scopes)
      .catch(() => SCOPES.map((s) => s.id as string));
    const offered = SCOPES.filter((s) => usable.includes(s.id));
    const withheld = SCOPES.filter((s) => !usable.includes(s.id)).map((s) => s.id);
    const name = formField('Name', h('input', { class: 'input', name: 'name', required: true, placeholder: 'e.g. training-cluster-a' }));
    const days = formField('Expires after (days)', h('input', { class: 'input', name: 'expires_in_days', type: 'number', min: '1', max: '3650', value: '90' }), 'Leave empty for a token that never expires (not recommended).');
    const boxes = offered.map((s) => h('input', { type: 'checkbox', name: 'scopes', value: s.id, checked: s.id === 'read' }));
    const scopes = h(
      'fieldset',
      { class: 'schema-group' },
      h('legend', {}, 'Scopes'),
      ...offered.map((s, i) => h('label', { class: 'check' }, boxes[i]!, h('strong', {}, s.id), h('span', { class: 'muted' }, s.help))),
      withheld.length > 0 ? h('p', { class: 'muted' }, `Your role cannot use ${withheld.length > 1 ? `${withheld.slice(0, -1).join(', ')} or ${withheld.at(-1)}` : withheld[0]}, so ${withheld.length > 1 ? 'they are' : 'it is'} not offered.`) : null,
    );
    const error = h('div', { class: 'form-error', role: 'alert' });
    ui.modal({
      title: 'New API token',
      body: h('form', { class: 'form', onsubmit: (ev: Event) => ev.preventDefault() }, name.el, scopes, days.el, error),
      actions: [
        { label: 'Cancel' },
        { label: 'Create token', kind: 'primary', onClick: async () => {
          const chosen = boxes.filter((b) => b.checked).map((b) => b.value);
          if (!name.input.value.trim() || chosen.length === 0) {
            error.textContent = 'Give the token a name and at least one scope.';
            return false;
          }
          const daysValue = days.input.value.trim();
          let answer: { token: ApiToken; secret: string };
          try {
            answer = await api.post('/auth/api-token', { name: name.input.value.trim(), scopes: chosen, ...(daysValue ? { expires_in_days: Number(daysValue) } : {}) }, { silent: true });
          } catch (e) {
            error.textContent = showFieldErrors([name, days], e) ? '' : (e as Error).message;
            return false;
          }
          showSecret(answer.token, answer.secret);
          void refresh();
          return true;
        } },
      ],
    });
  }

  function showSecret(token: ApiToken, secret: string) {
    const code = h('code', { 'data-testid': 'token-secret' }, secret);
    const copy = button('Copy', () => {
      void navigator.clipboard?.writeText(secret).then(
        () => ui.toast('Token copied', 'success'),
        () => ui.toast('The browser refused clipboard access; select the text and copy it', 'warning'),
      );
    }, 'primary', { 'aria-label': 'Copy the token secret' });
    ui.modal({
      title: `Token ${token.name} created`,
      body: [h('p', {}, 'Copy this secret now. It is shown only once and cannot be recovered.'), h('div', { class: 'secret-box' }, code, copy)],
      actions: [{ label: 'Done', kind: 'default' }],
    });
  }

  async function revoke(t: ApiToken) {
    if (!(await ui.confirm(`Revoke ${t.name}?`, 'Anything that uses this token stops working at once.', 'Revoke token'))) return;
    await api.delete(`/auth/api-tokens/${encodeURIComponent(t.id)}`).then(() => {
      ui.toast(`Token ${t.name} revoked`, 'success');
      return refresh();
    }, () => undefined);
  }
}
