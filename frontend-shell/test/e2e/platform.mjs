// What the browser suite and the shell's bench share: Chromium's launch flags, and the platform
// started as README's first command does (scripts/lib/platform-process.mjs, demo data on).
import { startPlatform as startBuiltPlatform } from '../../../scripts/lib/platform-process.mjs';

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

// The example plugin is off by default (ONESERVICE_PLUGINS_DISABLED); the suite loads it.
export const startPlatform = () => startBuiltPlatform({ demo: true, env: { ONESERVICE_PLUGINS_DISABLED: '' } });
