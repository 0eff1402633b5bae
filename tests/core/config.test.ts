import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/index.ts';
import { CONFIG_VARIABLES } from '../../src/testing.ts';
import { ROOT } from '../helpers/catalog.ts';

describe('configuration', () => {
  it('has working defaults for the console bot', () => {
    const result = loadConfig({}, '/app');
    expect(result).toEqual({
      ok: true,
      config: {
        catalogDir: '/app/catalog',
        dataDir: '/app/data',
        landscapeFile: '/app/data/landscape.json',
        landscapeRequired: false,
        defaultLang: 'ko',
        defaultTimeZone: 'Asia/Seoul',
        databaseUrl: undefined,
        sqlitePath: '/app/data/orch.db',
        storeConnectMs: 60_000,
        graceMs: 6 * 3_600_000,
        gamesFile: '/app/data/games.json',
        slack: null,
        discord: null,
        ops: { healthPort: 8080, logLevel: 'info', catalogWatch: true, shutdownMs: 10_000 },
        pages: { port: null, publicUrl: null },
        quizTarget: { low: 0.6, high: 0.8 },
      },
    });
  });

  it('reads the server settings and lists every problem with them', () => {
    const ok = loadConfig(
      {
        ORCH_HEALTH_PORT: 'off',
        ORCH_LOG_LEVEL: 'DEBUG',
        ORCH_CATALOG_WATCH: 'no',
        ORCH_SHUTDOWN_SECONDS: '4',
        ORCH_STORE_CONNECT_SECONDS: '0',
        DISCORD_TOKEN: 't',
        DISCORD_APPLICATION_ID: '123456',
        DISCORD_SHARDS: '4',
        DATABASE_URL: 'postgres://orch@db/orch',
      },
      '/app',
    );
    expect(ok.ok && ok.config.ops).toEqual({
      healthPort: null,
      logLevel: 'debug',
      catalogWatch: false,
      shutdownMs: 4_000,
    });
    expect(ok.ok && ok.config.discord?.shards).toBe(4);
    expect(ok.ok && ok.config.storeConnectMs).toBe(0);
    const bad = loadConfig(
      {
        ORCH_HEALTH_PORT: '80000',
        ORCH_LOG_LEVEL: 'loud',
        ORCH_CATALOG_WATCH: 'maybe',
        ORCH_SHUTDOWN_SECONDS: '0',
        ORCH_STORE_CONNECT_SECONDS: 'forever',
        DISCORD_TOKEN: 't',
        DISCORD_APPLICATION_ID: '123456',
        DISCORD_SHARDS: '2',
      },
      '/app',
    );
    const problems = bad.ok ? [] : bad.problems;
    expect(problems).toHaveLength(6);
    expect(problems.join('\n')).toMatch(/ORCH_HEALTH_PORT.*80000/);
    expect(problems.join('\n')).toMatch(/ORCH_STORE_CONNECT_SECONDS .* 0 to 3600, not "forever"/);
    expect(problems.join('\n')).toMatch(/DISCORD_SHARDS above 1 .* DATABASE_URL/);
  });

  it("reads the pages' port and public address, and refuses an address a link cannot start with", () => {
    const ok = loadConfig(
      { ORCH_WEB_PORT: 'off', ORCH_PUBLIC_URL: 'https://orch.example.org/study/' },
      '/app',
    );
    // The trailing slash goes, so links are made with one slash between the address and the path.
    expect(ok.ok && ok.config.pages).toEqual({ port: null, publicUrl: 'https://orch.example.org/study' });
    const bad = loadConfig({ ORCH_WEB_PORT: 'eighty', ORCH_PUBLIC_URL: 'orch.example.org' }, '/app');
    const problems = bad.ok ? [] : bad.problems;
    expect(problems).toHaveLength(2);
    expect(problems.join('\n')).toMatch(/ORCH_WEB_PORT must be a port number or off, not "eighty"/);
    expect(problems.join('\n')).toMatch(/ORCH_PUBLIC_URL must be an http\(s\) address/);
    const query = loadConfig({ ORCH_PUBLIC_URL: 'https://orch.example.org/?a=1' }, '/app');
    expect(query.ok).toBe(false);
    // A public address opens the port by default; without one it stays closed unless named.
    const opened = loadConfig({ ORCH_PUBLIC_URL: 'https://orch.example.org' }, '/app');
    expect(opened.ok && opened.config.pages.port).toBe(8090);
  });

  it('lists every problem at once and prints no secret', () => {
    const result = loadConfig(
      {
        ORCH_DEFAULT_LANG: 'fr',
        ORCH_DEFAULT_TIMEZONE: 'Mars/Base',
        DATABASE_URL: 'mysql://root:hunter2@db/x',
        ORCH_GRACE_HOURS: '-1',
        ORCH_DATA_DIR: ' ',
      },
      '/app',
    );
    expect(result.ok).toBe(false);
    const problems = result.ok ? [] : result.problems;
    expect(problems).toHaveLength(5);
    expect(problems.join('\n')).not.toContain('hunter2');
  });

  it('reads the Slack settings and names missing ones without printing the tokens', () => {
    const ok = loadConfig(
      {
        SLACK_BOT_TOKEN: 'xoxb-1',
        SLACK_SIGNING_SECRET: 's',
        SLACK_APP_TOKEN: 'xapp-1',
        SLACK_ADMIN_USERS: 'U1, U2',
      },
      '/app',
    );
    expect(ok.ok && ok.config.slack).toEqual({
      botToken: 'xoxb-1',
      signingSecret: 's',
      mode: 'socket',
      appToken: 'xapp-1',
      port: 3000,
      apiUrl: null,
      adminUsers: ['U1', 'U2'],
      historyCheck: true,
    });
    const bad = loadConfig(
      { SLACK_BOT_TOKEN: 'xoxp-secret-user-token', SLACK_MODE: 'carrier-pigeon' },
      '/app',
    );
    const problems = bad.ok ? [] : bad.problems;
    // The token's prefix, the mode and the missing signing secret; an unknown mode asks for no app token.
    expect(problems).toHaveLength(3);
    expect(problems.join('\n')).not.toContain('secret-user-token');
  });

  it('reads the quiz target share as percentages, and refuses one that is no range', () => {
    const read = loadConfig({ ORCH_QUIZ_TARGET: '50 - 70' }, '/app');
    expect(read.ok && read.config.quizTarget).toEqual({ low: 0.5, high: 0.7 });
    for (const bad of ['80-60', '60-120', '60', 'sixty-eighty', '60-80-90']) {
      const refused = loadConfig({ ORCH_QUIZ_TARGET: bad }, '/app');
      expect(refused.ok ? [] : refused.problems, bad).toEqual([
        `ORCH_QUIZ_TARGET must be two percentages, low-high, such as 60-80, not "${bad}"`,
      ]);
    }
  });

  it('documents every variable in .env.example', () => {
    const example = readFileSync(join(ROOT, '.env.example'), 'utf8');
    for (const name of Object.keys(CONFIG_VARIABLES)) expect(example).toContain(name);
  });
});
