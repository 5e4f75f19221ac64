import type { ShellSession } from '@oneservice/plugin-sdk/ui';
import { createApiClient } from '../core/api/api-client.js';
import { type Me, toShellSession } from '../core/auth/me.js';
import { readTenantChoice, writeTenantChoice } from '../core/auth/tenant-choice.js';
import { TokenStore } from '../core/auth/token-store.js';
import { type Menus, normaliseMenus } from '../core/menus/menu-model.js';
import { HistoryRouter } from '../core/router/router.js';
import { SearchRegistryImpl } from '../core/search/search-registry.js';
import { ThemeController, initialTheme } from '../core/theme/theme.js';
import { TimeRangeService } from '../core/time/time-range-service.js';
import { toast } from '../ui/toast.js';
import { hasShellRoute } from './shell-routes.js';

/** The long-lived services of one browser tab. Session-bound state (me, menus) is reloaded on sign-in and tenant switch. */
export class ShellServices {
  readonly tokens = new TokenStore();
  readonly router = new HistoryRouter();
  readonly timeRange = new TimeRangeService(this.router);
  readonly theme = new ThemeController(initialTheme());
  readonly search = new SearchRegistryImpl();
  readonly api = createApiClient({
    tokens: this.tokens,
    tenant: () => this.actingTenant(),
    onSessionEnded: () => this.sessionEnded(),
    toast: (text) => toast(text, 'error'),
  });
  me: Me | null = null;
  menus: Menus = { sections: [], pages: [] };
  session: ShellSession | null = null;
  /** Set by the app: what to do when the session is over (go to the login page). */
  onSignedOut: (reason: 'expired' | 'logout') => void = () => undefined;

  /**
   * The tenant header: only a super-admin chooses; everyone else acts in their own tenant. A
   * super-admin starts where they left off (the last tenant chosen in this browser); without a
   * (valid) choice, in the platform view — no tenant, the tenants list — rather than in whichever
   * tenant happens to come first, which would look like a choice they never made.
   */
  actingTenant(): string | null {
    if (!this.me?.is_super_admin) return null;
    const chosen = readTenantChoice();
    if (chosen && this.me.tenants.some((t) => t.id === chosen)) return chosen;
    return this.me.tenant?.id ?? null;
  }

  async loadSession(): Promise<void> {
    this.me = await this.api.get<Me>('/me', { silent: true });
    // A super-admin whose stored choice no longer exists falls back to the default, not a stale id.
    if (this.me.is_super_admin && readTenantChoice() !== this.actingTenant()) writeTenantChoice(this.actingTenant());
    this.session = toShellSession(this.me, this.actingTenant());
    const theme = this.me.preferences?.theme;
    if (theme === 'light' || theme === 'dark') this.theme.set(theme);
    this.menus = normaliseMenus(await this.api.get<unknown>('/ui/menus', { silent: true }), hasShellRoute);
  }

  async switchTenant(tenantId: string | null): Promise<void> {
    writeTenantChoice(tenantId);
    await this.loadSession();
  }

  async setTheme(theme: 'light' | 'dark'): Promise<void> {
    this.theme.set(theme);
    if (this.me) {
      this.me.preferences = { theme };
      await this.api.put('/me/preferences', { theme }).catch(() => undefined);
    }
  }

  async logout(): Promise<void> {
    const tokens = this.tokens.get();
    if (tokens) await this.api.post('/auth/logout', { refresh_token: tokens.refresh_token }, { silent: true }).catch(() => undefined);
    this.clear();
    this.onSignedOut('logout');
  }

  private sessionEnded(): void {
    if (!this.tokens.get()) return;
    this.clear();
    this.onSignedOut('expired');
  }

  private clear(): void {
    this.tokens.clear();
    this.me = null;
    this.session = null;
    this.menus = { sections: [], pages: [] };
  }
}
