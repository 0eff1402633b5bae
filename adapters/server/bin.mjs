#!/usr/bin/env node
// `npm run serve`: the server process from the TypeScript sources (the image runs the built dist/ instead).
import { register } from 'tsx/esm/api';

register();
await import('./start.ts');
