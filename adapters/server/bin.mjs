#!/usr/bin/env node
// `npm run serve` (every platform with a token), `npm run start:slack`, `npm run start:discord`: the server process,
// from dist/ when it is current, else the TypeScript sources through tsx (see adapters/compiled-or-sources.mjs). The
// image runs the built dist/adapters/server/start.js directly.
import { importAdapter } from '../compiled-or-sources.mjs';

await importAdapter('server/start');
