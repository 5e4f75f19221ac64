import type { JsonSchema } from '@oneservice/plugin-sdk/ui';

/** GET /api/v1/plugins item. */
export interface PluginInfo {
  id: string;
  displayName: string;
  version: string;
  kinds: string[];
  state: string;
  enabled: boolean;
  settingsSchema: JsonSchema | null;
}
