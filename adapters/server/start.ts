// The server process's entry: `node dist/adapters/server/start.js` in the image, `npm run serve` from the sources.
// An argument `slack` or `discord` serves only that platform (`npm run start:slack`, `npm run start:discord`).
import { main } from './main.ts';
import { collectStartupGarbage } from './startup-garbage.ts';

/** How long after ready the one full collection runs. */
const STARTUP_COLLECTION_DELAY_MS = 1_000;

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
// arrive as soon as the server says it is ready. Unreferenced, so it never keeps a stopping process alive.
setTimeout(collectStartupGarbage, STARTUP_COLLECTION_DELAY_MS).unref();
