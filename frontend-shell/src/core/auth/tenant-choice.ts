// A super-admin acts for one tenant at a time; the choice survives reloads (localStorage) and is
// sent as the X-OneService-Tenant header. Ordinary users never send it: their token names their tenant.
const KEY = 'oneservice.tenant';

export function readTenantChoice(): string | null {
  return localStorage.getItem(KEY);
}

export function writeTenantChoice(tenantId: string | null): void {
  if (tenantId) localStorage.setItem(KEY, tenantId);
  else localStorage.removeItem(KEY);
}
