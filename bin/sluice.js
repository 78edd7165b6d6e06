#!/usr/bin/env node
// The `sluice` command. Registers tsx so the TypeScript sources run as they are: no build step after `npm ci`.
import { register } from 'tsx/esm/api';

register();
await import('../src/bin/sluice.ts');
