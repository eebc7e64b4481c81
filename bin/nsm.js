#!/usr/bin/env node
// The `nsm` command. The CLI is TypeScript run through tsx's loader, so a fresh clone needs
// nothing but `npm ci`: no build step, no compiled output to keep in sync.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../functions/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
