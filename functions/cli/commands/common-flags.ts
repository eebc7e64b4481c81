/** Flags several commands share, declared once so their help reads the same everywhere. */
import type { FlagSpec } from '../args';

export const CONFIG_FLAG = {
  type: 'string',
  value: 'FILE',
  default: 'nsm.config.yaml',
  help: 'the config file',
} as const satisfies FlagSpec;
