#!/usr/bin/env node
// `npm run start:discord` (or `… register` for `npm run discord:register`), from the TypeScript sources.
import { register as registerTsx } from 'tsx/esm/api';

registerTsx();
const { main, register } = await import('./main.ts');
const code = process.argv[2] === 'register' ? await register(process.env) : await main(process.env);
if (code !== 0) process.exit(code);
