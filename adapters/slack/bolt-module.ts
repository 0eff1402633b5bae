import { createRequire } from 'node:module';
import type * as Bolt from '@slack/bolt';
import { deferBoltParts } from './lazy-bolt-parts.ts';

// Bolt, for every adapter file that uses its values (types are imported from '@slack/bolt' as usual).
//
// Required, not imported: Bolt is CommonJS, and an ESM `import` of it makes Node build the module's namespace by
// reading every export it re-exports, FileInstallationStore among them, which loads @slack/oauth at once and undoes
// lazy-bolt-parts.ts. Its stand-ins go in first, here, so no order of imports elsewhere can load Bolt before them.
deferBoltParts();

export const bolt = createRequire(import.meta.url)('@slack/bolt') as typeof Bolt;
