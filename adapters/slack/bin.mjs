#!/usr/bin/env node
// `npm run start:slack`: the Slack app, from the TypeScript sources (no build step).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./main.ts');
const code = await main(process.env);
if (code !== 0) process.exit(code);
