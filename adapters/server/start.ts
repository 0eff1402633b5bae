// The server process's entry: `node dist/adapters/server/start.js` in the image, `npm run serve` from the sources.
import { main } from './main.ts';

const code = await main(process.env);
if (code !== 0) process.exit(code);
