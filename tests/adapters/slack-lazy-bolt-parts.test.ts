/**
 * The server defers @slack/socket-mode (and its undici) until something uses it: Bolt loaded through the Slack
 * platform and an HTTP-mode app leave it unloaded, and Socket Mode still gets the real package and connects.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { deferSocketModePackage } from '../../adapters/slack/lazy-socket-mode.ts';
import { silentLogger } from '../../src/testing.ts';
import { type FakeSlack, startFakeSlack } from '../fakes/slack.ts';

const ROOT = join(import.meta.dirname, '../..');

// In a process of its own, so that nothing loaded Bolt before: which of Socket Mode's files are loaded after the
// server's way into Slack (platform.ts, which loads Bolt) and an HTTP-mode App, then after a Socket Mode App (whose
// receiver constructs a SocketModeClient).
const PROBE = `
const { createRequire } = await import('node:module');
await import(process.env.ROOT + '/adapters/slack/platform.ts');
const require = createRequire(process.env.ROOT + '/package.json');
const boltLoaded = Object.keys(require.cache).some((p) => /[\\/]@slack[\\/]bolt[\\/]dist[\\/]App.js$/.test(p));
const { App } = require('@slack/bolt');
const loaded = () => ({
  socketModeClient: Object.keys(require.cache).some((p) => /socket-mode[\\\\/]dist[\\\\/]src[\\\\/]SocketModeClient\\.js$/.test(p)),
  undici: Object.keys(require.cache).some((p) => /[\\\\/]undici[\\\\/]index\\.js$/.test(p)),
});
const quiet = { token: 'xoxb-probe', convoStore: false, tokenVerificationEnabled: false, deferInitialization: true };
new App({ ...quiet, signingSecret: 'probe' });
const http = loaded();
const socketApp = new App({ ...quiet, socketMode: true, appToken: 'xapp-probe' });
const socket = { ...loaded(), client: socketApp.receiver.client.constructor.name };
process.stdout.write(JSON.stringify({ boltLoaded, http, socket }));
`;

let fake: FakeSlack | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe('@slack/socket-mode deferred in an HTTP-mode server', () => {
  it('is not loaded with Bolt by the Slack platform nor by an HTTP-mode app, and loads for real for Socket Mode', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', PROBE], {
      cwd: ROOT,
      env: { ...process.env, ROOT },
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({
      boltLoaded: true,
      http: { socketModeClient: false, undici: false },
      socket: { socketModeClient: true, undici: true, client: 'SocketModeClient' },
    });
  });

  it('still lets Socket Mode connect in the same process after the stand-in was put in place', async () => {
    expect(deferSocketModePackage()).toBe(true);
    // Loaded only now, after the stand-in: the Slack adapter's Bolt requires the stand-in.
    const { createSlackApp } = await import('../../adapters/slack/app.ts');
    fake = await startFakeSlack();
    const { app } = createSlackApp({
      config: {
        botToken: 'xoxb-test',
        signingSecret: 'secret',
        mode: 'socket',
        appToken: 'xapp-test',
        port: 0,
        apiUrl: fake.apiUrl,
        adminUsers: [],
      },
      logger: silentLogger,
      retries: 0,
      retryMinTimeoutMs: 10,
    });
    await app.start();
    try {
      await fake.socketConnected();
    } finally {
      await app.stop();
    }
  });
});
