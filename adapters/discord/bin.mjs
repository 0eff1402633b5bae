#!/usr/bin/env node
// `npm run discord:register`: puts /orch on one guild or globally, from the TypeScript sources.
import { register as registerTsx } from 'tsx/esm/api';

registerTsx();
const { register } = await import('./main.ts');
const code = await register(process.env);
if (code !== 0) process.exit(code);
