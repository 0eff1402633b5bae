/**
 * The HTTP-mode server defers @slack/socket-mode (and its undici) until something uses it: Bolt loaded in HTTP mode
 * leaves it unloaded, and Socket Mode in the same process still gets the real package and connects.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { deferSocketModePackage } from '../../adapters/slack/lazy-socket-mode.ts';
import { silentLogger } from '../../src/testing.ts';
import { type FakeSlack, startFakeSlack } from '../fakes/slack.ts';

const ROOT = join(import.meta.dirname, '../..');

// In a process of its own, so that nothing loaded Bolt before: which of Socket Mode's files are loaded after Bolt
// and an HTTP-mode App, then after a Socket Mode App (whose receiver constructs a SocketModeClient).
const PROBE = `
const { createRequire } = await import('node:module');
const { deferSocketModePackage } = await import(process.env.ROOT + '/adapters/slack/lazy-socket-mode.ts');
const require = createRequire(process.env.ROOT + '/package.json');
const deferred = deferSocketModePackage();
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
process.stdout.write(JSON.stringify({ deferred, http, socket }));
`;

let fake: FakeSlack | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe('@slack/socket-mode deferred in an HTTP-mode server', () => {
  it('is not loaded by Bolt in HTTP mode, and loads for real when a Socket Mode app needs it', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', PROBE], {
      cwd: ROOT,
      env: { ...process.env, ROOT },
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({
      deferred: true,
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
