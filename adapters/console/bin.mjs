#!/usr/bin/env node
// `npm start` and `npx orch`: the compiled dist/ when it is current, else the TypeScript sources through tsx (see
// adapters/compiled-or-sources.mjs).
import { importAdapter } from '../compiled-or-sources.mjs';

const { main } = await importAdapter('console/cli');
process.exitCode = await main(process.argv.slice(2), {
  env: process.env,
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
});
