#!/usr/bin/env node
// `npm run serve` (every platform with a token), `npm run start:slack`, `npm run start:discord`: the server process
// from the TypeScript sources. The image runs the built dist/adapters/server/start.js instead.
import { register } from 'tsx/esm/api';

register();
await import('./start.ts');
