/**
 * The server defers the parts of Bolt an HTTP-mode app with one bot token never uses (@slack/socket-mode and its
 * undici, @slack/oauth, the ExpressReceiver and express) until something uses them: Bolt loaded through the Slack
 * platform and an HTTP-mode app leave them unloaded, and Socket Mode, OAuth settings and ExpressReceiver still get
 * the real modules.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { deferBoltParts } from '../../adapters/slack/lazy-bolt-parts.ts';
import { silentLogger } from '../../src/testing.ts';
import { type FakeSlack, startFakeSlack } from '../fakes/slack.ts';
import { socketModeConfig } from '../helpers/slack-config.ts';

const ROOT = join(import.meta.dirname, '../..');

// In a process of its own, so that nothing loaded Bolt before: which of Socket Mode's files are loaded after the
// server's way into Slack (platform.ts, which loads Bolt) and an HTTP-mode App, then after a Socket Mode App (whose
// receiver constructs a SocketModeClient).
const PROBE = `
const { createRequire } = await import('node:module');
await import(process.env.ROOT + '/adapters/slack/platform.ts');
const require = createRequire(process.env.ROOT + '/package.json');
const has = (pattern) => Object.keys(require.cache).some((p) => pattern.test(p.replaceAll('\\\\', '/')));
const boltLoaded = has(/@slack\\/bolt\\/dist\\/App\\.js$/);
const bolt = require('@slack/bolt');
const loaded = () => ({
  socketModeClient: has(/socket-mode\\/dist\\/src\\/SocketModeClient\\.js$/),
  undici: has(/\\/undici\\/index\\.js$/),
  oauth: has(/@slack\\/oauth\\/dist\\/install-provider\\.js$/),
  jsonwebtoken: has(/\\/jsonwebtoken\\/index\\.js$/),
  express: has(/\\/express\\/index\\.js$/),
});
const quiet = { token: 'xoxb-probe', convoStore: false, tokenVerificationEnabled: false, deferInitialization: true };
new bolt.App({ ...quiet, signingSecret: 'probe' });
const http = loaded();
const socketApp = new bolt.App({ ...quiet, socketMode: true, appToken: 'xapp-probe' });
const socket = { ...loaded(), client: socketApp.receiver.client.constructor.name };
const oauthApp = new bolt.App({
  signingSecret: 'probe', clientId: 'c', clientSecret: 's', stateSecret: 'state', scopes: ['commands'],
  installationStore: { storeInstallation: async () => {}, fetchInstallation: async () => ({}) },
});
const oauth = { ...loaded(), installer: oauthApp.receiver.installer?.constructor.name ?? null };
const receiver = new bolt.ExpressReceiver({ signingSecret: 'probe' });
const express = {
  ...loaded(),
  name: receiver.constructor.name,
  instance: receiver instanceof bolt.ExpressReceiver,
  router: typeof receiver.router?.use,
};
process.stdout.write(JSON.stringify({ boltLoaded, http, socket, oauth, express }));
`;

let fake: FakeSlack | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe("Bolt's unused parts deferred in an HTTP-mode server", () => {
  it('are not loaded with Bolt by the Slack platform nor by an HTTP-mode app, and load for real when used', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', PROBE], {
      cwd: ROOT,
      env: { ...process.env, ROOT },
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    const none = {
      socketModeClient: false,
      undici: false,
      oauth: false,
      jsonwebtoken: false,
      express: false,
    };
    expect(JSON.parse(run.stdout)).toEqual({
      boltLoaded: true,
      http: none,
      socket: { ...none, socketModeClient: true, undici: true, client: 'SocketModeClient' },
      oauth: {
        ...none,
        socketModeClient: true,
        undici: true,
        oauth: true,
        jsonwebtoken: true,
        installer: 'InstallProvider',
      },
      express: {
        socketModeClient: true,
        undici: true,
        oauth: true,
        jsonwebtoken: true,
        express: true,
        name: 'ExpressReceiver',
        instance: true,
        router: 'function',
      },
    });
  });

  it('still lets Socket Mode connect in the same process after the stand-in was put in place', async () => {
    expect(deferBoltParts()).toContain('@slack/socket-mode');
    // Loaded only now, after the stand-in: the Slack adapter's Bolt requires the stand-in.
    const { createSlackApp } = await import('../../adapters/slack/app.ts');
    fake = await startFakeSlack();
    const { app } = createSlackApp({
      config: socketModeConfig(fake.apiUrl),
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
