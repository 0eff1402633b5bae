// The console and CLI from the built dist/ (`node dist/adapters/console/start.js catalog check catalog` in the image).
import { main } from './cli.ts';

process.exitCode = await main(process.argv.slice(2), {
  env: process.env,
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
});
