import type { Knex } from 'knex';
import type { AuditWriter, KernelHooks, RouteDefinition, Secrets, TokenScope } from '@oneservice/plugin-sdk';
import type { AccessTokens } from '../auth/access-tokens.js';
import type { Authenticator } from '../auth/authenticator.js';
import type { PasswordHasher } from '../auth/passwords.js';
import type { Config } from '../config.js';
import type { PortRegistry } from '../platform/port-registry.js';
import type { LoadedPlugin } from '../plugins/plugin-host.js';
import type { PermissionRegistry } from '../rbac/permission-registry.js';
import type { PluginStates } from '../plugins/plugin-states.js';
import type { RefreshTokens } from '../auth/refresh-tokens.js';
import type { LoginThrottle } from '../auth/login-throttle.js';

/** What the kernel's own routes use (the kernel's routes are declared exactly like plugins' routes). */
export interface KernelServices {
  config: Config;
  knex: Knex;
  authenticator: Authenticator;
  accessTokens: AccessTokens;
  passwords: PasswordHasher;
  audit: AuditWriter;
  hooks: KernelHooks;
  permissions: PermissionRegistry;
  ports: PortRegistry;
  secrets: Secrets;
  plugins: () => LoadedPlugin[];
  pluginStates: PluginStates;
  refreshTokens: RefreshTokens;
  throttle: LoginThrottle;
  /** The API-token scopes a holder of these permissions can use on some route (route-registry.ts). */
  usableScopes: (permissions: ReadonlySet<string>) => TokenScope[];
}

export type DeclareRoute = <P, Q, B, R>(definition: RouteDefinition<P, Q, B, R>) => void;
