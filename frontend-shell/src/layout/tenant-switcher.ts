import type { ShellServices } from '../app/services.js';
import { h, uid } from '../ui/dom.js';

/** Super-admins choose the tenant they act for; everyone else sees their tenant's name. */
export function tenantSwitcher(services: ShellServices, onSwitching: () => void, onSwitched: () => void): HTMLElement | null {
  const me = services.me;
  if (!me) return null;
  if (!me.is_super_admin) {
    return me.tenant ? h('span', { class: 'tenant-badge', title: `Tenant ${me.tenant.slug}` }, me.tenant.name) : null;
  }
  const id = uid('tenant');
  const select = h(
    'select',
    { id, class: 'input tenant-select', 'data-testid': 'tenant-switcher' },
    h('option', { value: '' }, 'Platform (no tenant)'),
    ...me.tenants.map((t) => h('option', { value: t.id }, `${t.name} (${t.slug})`)),
  );
  select.value = services.actingTenant() ?? '';
  select.addEventListener('change', async () => {
    select.disabled = true;
    onSwitching();
    try {
      await services.switchTenant(select.value || null);
    } finally {
      // Also after a failure: the page shows the old tenant's view again rather than a spinner.
      onSwitched();
      select.disabled = false;
    }
  });
  return h('label', { class: 'tenant-switcher', for: id }, h('span', { class: 'sr-only' }, 'Acting tenant'), select);
}
