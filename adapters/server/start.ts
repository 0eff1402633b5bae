// The server process's entry: `node dist/adapters/server/start.js` in the image, `npm run serve` from the sources.
// An argument `slack` or `discord` serves only that platform (`npm run start:slack`, `npm run start:discord`).
import { main } from './main.ts';
import { collectStartupGarbage } from './startup-garbage.ts';

/**
 * When, after ready, the full collections run. The first frees the start's garbage. The second frees what the first
 * seconds of serving leave behind (Discord's guild events, the engine's warm-up, the scheduler's first pass), which an
 * idle process otherwise keeps. With both, 8 of 8 idle starts measured 92-96 MB (both platforms and the landscape,
 * `npm run bench -- footprint --idle-only`); with the first alone, 93-102 MB, in two groups 6 MB apart.
 */
const STARTUP_COLLECTIONS_MS = [1_000, 6_000];

const only = process.argv[2];
if (only !== undefined && only !== 'slack' && only !== 'discord') {
  process.stderr.write(
    `orch: unknown platform "${only}"; use slack, discord or nothing for every platform with a token\n`,
  );
  process.exit(2);
}
const code = await main(process.env, only ? { only } : {});
if (code !== 0) process.exit(code);
// Resolved 0: the server is ready and serving; see startup-garbage.ts. A second later rather than at once: the
// pause (about 30 ms on a quiet machine) would otherwise hold the first readiness probe and the first requests, which
// arrive as soon as the server says it is ready. Unreferenced, so they never keep a stopping process alive.
for (const delay of STARTUP_COLLECTIONS_MS) setTimeout(collectStartupGarbage, delay).unref();
