// The server process's entry: `node dist/adapters/server/start.js` in the image, `npm run serve` from the sources.
// An argument `slack` or `discord` serves only that platform (`npm run start:slack`, `npm run start:discord`).
import { main } from './main.ts';
import { collectStartupGarbage } from './startup-garbage.ts';

const only = process.argv[2];
if (only !== undefined && only !== 'slack' && only !== 'discord') {
  process.stderr.write(
    `orch: unknown platform "${only}"; use slack, discord or nothing for every platform with a token\n`,
  );
  process.exit(2);
}
const code = await main(process.env, only ? { only } : {});
if (code !== 0) process.exit(code);
// Resolved 0: the server is ready and serving; see startup-garbage.ts.
collectStartupGarbage();
