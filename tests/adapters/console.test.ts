import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../adapters/console/cli.ts';
import { runRepl } from '../../adapters/console/repl.ts';
import { compiledCatalogPath } from '../../src/index.ts';
import { loadCompiledCatalog } from '../../src/testing.ts';
import {
  catalogCopy,
  editFile,
  FIXTURE_GAMES_FILE,
  FIXTURE_LANDSCAPE_FILE,
  testBot,
} from '../helpers/catalog.ts';

class Sink extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

/** Runs the console bot (npm start) on typed lines in a fresh data folder; it must exit 0. */
async function runConsole(lines: string, env: Record<string, string> = {}) {
  const stdin = new PassThrough();
  const stdout = new Sink();
  const data = env.ORCH_DATA_DIR ?? (await mkdtemp(join(tmpdir(), 'orch-console-')));
  const running = main([], {
    env: { ORCH_DATA_DIR: data, ORCH_DEFAULT_LANG: 'en', ...env },
    stdin,
    stdout,
    stderr: new Sink(),
  });
  stdin.end(lines);
  expect(await running).toBe(0);
  return { stdout, data };
}

async function cli(args: string[], env: Record<string, string> = {}) {
  const stdout = new Sink();
  const stderr = new Sink();
  // Each run gets its own data folder, so the SQLite file never lands in the repository.
  const data = await mkdtemp(join(tmpdir(), 'orch-cli-'));
  const code = await main(args, {
    env: { ORCH_DATA_DIR: data, ...env },
    stdin: new PassThrough(),
    stdout,
    stderr,
  });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

describe('the console REPL', () => {
  it('answers each typed line like one chat channel, then leaves on /quit', async () => {
    const input = new PassThrough();
    const output = new Sink();
    const done = runRepl({ bot: await testBot(), input, output, color: false });
    input.end('/orch istio\n\n이스티오 링커디 비교\n/orch help\n/quit\n/orch etcd\n');
    await done;
    expect(output.text).toContain('== Istio ==');
    expect(output.text).toContain('비교: Istio vs Linkerd');
    expect(output.text).toMatch(/\(only you can see this\)|\(나에게만 보여요\)/);
    expect(output.text).not.toContain('== etcd ==');
  });
});

describe('the console bot (npm start)', () => {
  it('lets a newcomer set a schedule, fast-forward and watch lessons arrive in order, once each', async () => {
    const { stdout, data } = await runConsole(
      '/orch schedule daily 09:00 Asia/Seoul\n/time +3d\n/orch roadmap\n/quit\n',
    );
    const headings = [...stdout.text.matchAll(/== Lesson (\d+)\/\d+/g)].map((m) => Number(m[1]));
    expect(headings).toEqual([1, 2, 3]);
    expect(stdout.text).toMatch(/Channel progress \[#-+\] 3\/\d+/);
    // The store is a real SQLite file in the data folder.
    expect((await readFile(join(data, 'orch.db'))).subarray(0, 15).toString()).toBe('SQLite format 3');
  });
});

describe('a quiz round in the console', () => {
  it('is played with numbered buttons, revealed at the deadline, and ends with the scores', async () => {
    const { stdout } = await runConsole(
      '/orch quiz istio 2 10\n1\n1\n/time +10s\n2\n/time +10s\n/orch leaderboard\n/quit\n',
    );
    const out = stdout.text;
    expect(out).toContain('Quiz time! 2 questions on Istio, 10 seconds each.');
    expect(out).toMatch(/Got it: you answered A\./);
    expect(out).toContain('You already answered this question; only your first answer counts.');
    expect(out.match(/== Question 1\/2 ==/g)?.length).toBe(2); // asked, then revealed in place
    expect(out).toContain('Answer: ');
    expect(out).toMatch(/Got it: you answered B\./);
    expect(out).toContain('Round over: scores');
    // Question 2 closes early: the round's only earlier player has answered it, before the clock moves again.
    expect(out.indexOf('Round over: scores')).toBeLessThan(out.lastIndexOf('⏰'));
    expect(out).toMatch(/1\. you: \d+ points \(\d\/2 right\)/);
    expect(out).toContain('Leaderboard: this week');
  });
});

describe('orch catalog import-games', () => {
  it('imports a CNCF quiz set, which a round then plays as /orch quiz cncf', async () => {
    const data = await mkdtemp(join(tmpdir(), 'orch-games-'));
    const imported = await cli(['catalog', 'import-games', FIXTURE_GAMES_FILE], { ORCH_DATA_DIR: data });
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain('imported 12 questions');
    // The questions it could not ask are named, with their line, and do not stop the rest.
    expect(imported.stderr).toContain('skipped ');
    expect(imported.stderr).toMatch(/games\.yml:135: question 15: options repeat/);
    const { stdout } = await runConsole('/orch quiz cncf 1 10\n/quit\n', { ORCH_DATA_DIR: data });
    expect(stdout.text).toContain('1 question on the imported CNCF question set');
  });
});

describe('orch ask', () => {
  it('prints one JSON object with intent, tool ids, category, suggestions and text', async () => {
    const { code, stdout } = await cli(['ask', 'istio vs linkerd', '--json']);
    expect(code).toBe(0);
    const answer = JSON.parse(stdout);
    expect(answer).toMatchObject({
      intent: 'compare',
      toolIds: ['istio', 'linkerd'],
      categoryId: null,
      suggestions: [],
    });
    expect(answer.text).toContain('Istio vs Linkerd');
    expect(stdout.trim().split('\n')).toHaveLength(1);
  });

  it('answers in the language asked for', async () => {
    const ko = JSON.parse((await cli(['ask', 'envoy', '--json', '--lang', 'ko'])).stdout);
    const en = JSON.parse((await cli(['ask', '엔보이', '--json', '--lang=en'])).stdout);
    expect(ko.text).toContain('핵심 개념');
    expect(en.text).toContain('Key concepts');
  });

  it('exits 0 for not-found and 2 for bad arguments', async () => {
    const notFound = await cli(['ask', 'asdfghjkl', '--json']);
    expect(notFound.code).toBe(0);
    expect(JSON.parse(notFound.stdout).intent).toBe('not_found');
    expect((await cli(['ask', 'istio', '--lang', 'fr'])).code).toBe(2);
    expect((await cli(['ask'])).code).toBe(2);
    expect((await cli(['frobnicate'])).code).toBe(2);
  });

  it('refuses to answer from a broken catalog and says why', async () => {
    const dir = await catalogCopy();
    await editFile(dir, 'tools/envoy.yaml', (t) => t.replace(/^maturity: .*$/m, 'maturity: famous'));
    const { code, stderr } = await cli(['ask', 'istio'], { ORCH_CATALOG_DIR: dir });
    expect(code).toBe(1);
    expect(stderr).toContain('the catalog is invalid');
    expect(stderr).toMatch(/tools\/envoy\.yaml:\d+: maturity: /);
  });
});

describe('orch catalog check', () => {
  it('passes on the real catalog', async () => {
    const { code, stdout } = await cli(['catalog', 'check']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^catalog OK: 15 tools, 8 categories, \d+ tracks, \d+ lessons/);
  });

  it('fails on a broken file and names its line', async () => {
    const dir = await catalogCopy();
    await editFile(dir, 'categories.yaml', (t) =>
      t.replace('id: service-proxy', 'id: service-proxy\n    colour: red'),
    );
    const { code, stderr } = await cli(['catalog', 'check', dir]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/categories\.yaml:\d+: categories\.\d+: unknown field "colour"/);
  });

  it('saves the compiled snapshot the bot starts from with --write, and only then', async () => {
    const dir = await catalogCopy();
    expect((await cli(['catalog', 'check', dir])).code).toBe(0);
    expect(existsSync(compiledCatalogPath(dir))).toBe(false);
    const { code, stdout } = await cli(['catalog', 'check', '--write', dir]);
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /^catalog OK: 15 tools, .*\nwrote .*\.compiled\/catalog\.json: the bot starts from it/,
    );
    const loaded = await loadCompiledCatalog(dir);
    expect(loaded.origin).toEqual({ from: 'snapshot' });
  });

  it('with --write, saves nothing for a broken catalog and fails when the snapshot cannot be written', async () => {
    const dir = await catalogCopy();
    await editFile(dir, 'tools/envoy.yaml', (t) => t.replace(/^maturity: .*$/m, 'maturity: famous'));
    const broken = await cli(['catalog', 'check', dir, '--write']);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/tools\/envoy\.yaml:\d+: maturity: /);
    expect(existsSync(compiledCatalogPath(dir))).toBe(false);

    const blocked = await catalogCopy();
    await writeFile(join(blocked, '.compiled'), 'not a folder\n');
    const { code, stderr } = await cli(['catalog', 'check', blocked, '--write']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^orch: could not write the compiled catalog .*catalog\.json: E[A-Z]+ /);
  });
});

describe('orch catalog import-landscape', () => {
  it('writes a snapshot the bot then answers from', async () => {
    const data = await mkdtemp(join(tmpdir(), 'orch-data-'));
    const out = join(data, 'landscape.json');
    const imported = await cli(['catalog', 'import-landscape', FIXTURE_LANDSCAPE_FILE, '--out', out]);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toMatch(/imported 51 items \(10 categories, 25 subcategories\)/);
    expect(imported.stdout).toContain('15 landscape items are covered by curated tools');
    const snapshot = JSON.parse(await readFile(out, 'utf8'));
    expect(snapshot).toMatchObject({ format: 'orch-landscape/1', source: FIXTURE_LANDSCAPE_FILE });
    const answer = JSON.parse(
      (await cli(['ask', 'prometheus', '--json'], { ORCH_LANDSCAPE_FILE: out })).stdout,
    );
    expect(answer).toMatchObject({ intent: 'tool', toolIds: ['prometheus'] });
    const curated = JSON.parse((await cli(['ask', 'istio', '--json'], { ORCH_LANDSCAPE_FILE: out })).stdout);
    expect(curated.text).toContain('핵심 개념');
  });

  it('refuses a file that is not a landscape in one line, exit 2', async () => {
    const { code, stderr } = await cli([
      'catalog',
      'import-landscape',
      FIXTURE_GAMES_FILE,
      '--out',
      '/tmp/never.json',
    ]);
    expect(code).toBe(2);
    expect(stderr).toMatch(
      /^orch: \S+games\.yml is not a CNCF landscape file: .*expected a top-level "landscape:" list/,
    );
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('refuses a missing file in one line, exit 2', async () => {
    const { code, stderr } = await cli(['catalog', 'import-landscape', '/nonexistent/landscape.yml']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^orch: cannot read \/nonexistent\/landscape\.yml: ENOENT/);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});

/** A local web server for the import commands: each path answers as its test needs. */
class FileServer {
  private readonly server: Server;
  readonly requests: string[] = [];

  constructor(routes: Record<string, (res: import('node:http').ServerResponse) => void>) {
    this.server = createServer((req, res) => {
      this.requests.push(req.url ?? '');
      const route = routes[req.url ?? ''];
      if (route) route(res);
      else res.writeHead(404, 'Not Found').end('no such file');
    });
  }

  async start(): Promise<void> {
    await new Promise<void>((done) => this.server.listen(0, '127.0.0.1', done));
  }

  url(path: string): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }

  async stop(): Promise<void> {
    // A stalled answer is still open; close it so the server can stop.
    this.server.closeAllConnections();
    await new Promise((done) => this.server.close(done));
  }
}

/** A port nothing listens on: bound once, then released. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((done) => probe.listen(0, '127.0.0.1', done));
  const { port } = probe.address() as AddressInfo;
  await new Promise((done) => probe.close(done));
  return port;
}

describe('the import commands read a URL (a local HTTP server on 127.0.0.1)', () => {
  const files = {
    landscape: readFileSync(FIXTURE_LANDSCAPE_FILE),
    games: readFileSync(FIXTURE_GAMES_FILE),
  };
  const server = new FileServer({
    '/landscape.yml': (res) => res.writeHead(200, { 'content-type': 'text/yaml' }).end(files.landscape),
    '/games.yml': (res) => res.writeHead(200, { 'content-type': 'text/yaml' }).end(files.games),
    // Headers and part of the body, then nothing: only the timeout ends it.
    '/stalls.yml': (res) => {
      res.writeHead(200, { 'content-type': 'text/yaml' });
      res.write('landscape:\n');
    },
    // More than the size cap (16 MB) and no Content-Length: the download must stop itself.
    '/huge.yml': (res) => {
      res.writeHead(200, { 'content-type': 'text/yaml' });
      const line = Buffer.alloc(1024 * 1024, '#');
      for (let i = 0; i < 17; i++) res.write(line);
      res.end();
    },
    '/announces-huge.yml': (res) =>
      res.writeHead(200, { 'content-length': String(64 * 1024 * 1024) }).write('landscape:\n'),
    '/broken.yml': (res) => res.writeHead(200).end('landscape:\n  - category: [unclosed\n    name: x\n'),
    '/page.html': (res) =>
      res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><html><body>hi</body></html>'),
  });
  let unreachable: string;
  beforeAll(async () => {
    await server.start();
    unreachable = `http://127.0.0.1:${await closedPort()}/landscape.yml`;
  });
  afterAll(() => server.stop());

  it('imports the landscape and the quiz set from a URL, and records the URL as the source', async () => {
    const data = await mkdtemp(join(tmpdir(), 'orch-url-'));
    const landscape = await cli(['catalog', 'import-landscape', server.url('/landscape.yml')], {
      ORCH_DATA_DIR: data,
    });
    expect(landscape.code).toBe(0);
    expect(landscape.stdout).toMatch(/^imported 51 items/);
    const games = await cli(['catalog', 'import-games', server.url('/games.yml')], { ORCH_DATA_DIR: data });
    expect(games.code).toBe(0);
    expect(games.stdout).toMatch(/^imported 12 questions/);
    const snapshot = JSON.parse(await readFile(join(data, 'landscape.json'), 'utf8'));
    expect(snapshot.source).toBe(server.url('/landscape.yml'));
    const answer = JSON.parse(
      (await cli(['ask', 'kubewarden', '--json', '--lang', 'en'], { ORCH_DATA_DIR: data })).stdout,
    );
    expect(answer).toMatchObject({ intent: 'tool', toolIds: ['kubewarden'] });
  });

  it('refuses an unreachable, failing, stalled, oversized or wrong source in one line, exit 2, and keeps the last snapshot', async () => {
    const data = await mkdtemp(join(tmpdir(), 'orch-url-'));
    expect(
      (await cli(['catalog', 'import-landscape', FIXTURE_LANDSCAPE_FILE], { ORCH_DATA_DIR: data })).code,
    ).toBe(0);
    expect((await cli(['catalog', 'import-games', FIXTURE_GAMES_FILE], { ORCH_DATA_DIR: data })).code).toBe(
      0,
    );
    const before = {
      landscape: await readFile(join(data, 'landscape.json')),
      games: await readFile(join(data, 'games.json')),
    };
    const cases: [string, string, RegExp][] = [
      ['import-landscape', unreachable, /cannot fetch \S+: connect ECONNREFUSED 127\.0\.0\.1:\d+$/],
      ['import-landscape', server.url('/missing.yml'), /cannot fetch \S+: HTTP 404 Not Found$/],
      ['import-landscape', server.url('/stalls.yml'), /cannot fetch \S+: no complete answer within 1 s$/],
      ['import-landscape', server.url('/huge.yml'), /cannot fetch \S+: larger than 16 MB$/],
      ['import-landscape', server.url('/announces-huge.yml'), /cannot fetch \S+: larger than 16 MB$/],
      ['import-landscape', server.url('/games.yml'), /is not a CNCF landscape file: .*"landscape:"/],
      ['import-landscape', server.url('/page.html'), /is not a CNCF landscape file: /],
      ['import-landscape', server.url('/broken.yml'), /is not a CNCF landscape file: \S+:\d+: /],
      ['import-games', unreachable, /cannot fetch \S+: connect ECONNREFUSED/],
      [
        'import-games',
        server.url('/landscape.yml'),
        /has no usable CNCF quiz questions: .*"quiz: questions:"/,
      ],
      ['import-games', server.url('/stalls.yml'), /cannot fetch \S+: no complete answer within 1 s$/],
    ];
    for (const [command, url, reason] of cases) {
      const run = await cli(['catalog', command, url, '--timeout', '1'], { ORCH_DATA_DIR: data });
      expect(run.code, `${command} ${url}`).toBe(2);
      expect(run.stdout).toBe('');
      const lines = run.stderr.trimEnd().split('\n');
      expect(lines, run.stderr).toHaveLength(1);
      expect(lines[0]).toMatch(/^orch: /);
      expect(lines[0]).toMatch(reason);
    }
    expect(await readFile(join(data, 'landscape.json'))).toEqual(before.landscape);
    expect(await readFile(join(data, 'games.json'))).toEqual(before.games);
    // Nothing half-written is left beside the snapshots either.
    expect((await readdir(data)).filter((f) => f.endsWith('.json'))).toEqual([
      'games.json',
      'landscape.json',
    ]);
  }, 60_000);

  it('takes --timeout in seconds and refuses nonsense as a usage error', async () => {
    const { code, stderr } = await cli([
      'catalog',
      'import-landscape',
      server.url('/x'),
      '--timeout',
      'soon',
    ]);
    expect(code).toBe(2);
    expect(stderr).toContain('--timeout must be a number of seconds');
  });
});

describe('내 공부 in the console', () => {
  it('renders the personal view, whose Done button moves it on', async () => {
    const { stdout } = await runConsole(
      '/orch schedule daily 09:00 Asia/Seoul\n/time +1d\n/orch me\n1\n/time +1d\n/orch me\n2\n/orch me\n/quit\n',
    );
    const views = stdout.text.split('== My study ==').slice(1);
    expect(views).toHaveLength(3);
    expect(views[0]).toContain('No study channels yet');
    expect(views[1]).toContain('1 of');
    expect(views[1]).toContain('Next: lesson 2');
    expect(views[1]).toMatch(/\(only you can see this\)/);
    expect(views[2]).toContain('2 of');
    expect(views[2]).toContain('You have done every lesson posted here so far.');
  });
});
