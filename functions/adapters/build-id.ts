/** A fresh id for one build of a day's state (results/layout.ts `STATE_BUILD_ID`): 48 random bits. */
import { randomUUID } from 'node:crypto';

export const newBuildId = (): string => randomUUID().replace(/-/g, '').slice(0, 12);
