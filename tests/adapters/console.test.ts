import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../adapters/console/cli.ts';
import { runRepl } from '../../adapters/console/repl.ts';
import { catalogCopy, editFile, LANDSCAPE_FILE, testBot } from '../helpers/catalog.ts';

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
    expect(output.text).toContain('(only you can see this)');
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
    expect(out.indexOf('Round over: scores')).toBeLessThan(out.lastIndexOf('time: '));
    expect(out).toMatch(/1\. you: \d+ points \(\d\/2 right\)/);
    expect(out).toContain('Leaderboard: the last 7 days');
  });
});

describe('orch catalog import-games', () => {
  it('imports the CNCF quiz set, which a round then plays as /orch quiz cncf', async () => {
    const data = await mkdtemp(join(tmpdir(), 'orch-games-'));
    const imported = await cli(['catalog', 'import-games', join(LANDSCAPE_FILE, '..', 'cncf-games.yml')], {
      ORCH_DATA_DIR: data,
    });
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain('imported 26 questions');
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
});

describe('orch catalog import-landscape', () => {
  it('writes a snapshot the bot then answers from', async () => {
    const data = await mkdtemp(join(tmpdir(), 'orch-data-'));
    const out = join(data, 'landscape.json');
    const imported = await cli(['catalog', 'import-landscape', LANDSCAPE_FILE, '--out', out]);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toMatch(/imported 2413 items \(15 categories, 80 subcategories\)/);
    const snapshot = JSON.parse(await readFile(out, 'utf8'));
    expect(snapshot.format).toBe('orch-landscape/1');
    const answer = JSON.parse(
      (await cli(['ask', 'prometheus', '--json'], { ORCH_LANDSCAPE_FILE: out })).stdout,
    );
    expect(answer).toMatchObject({ intent: 'tool', toolIds: ['prometheus'] });
    const curated = JSON.parse((await cli(['ask', 'istio', '--json'], { ORCH_LANDSCAPE_FILE: out })).stdout);
    expect(curated.text).toContain('핵심 개념');
  });

  it('refuses a file that is not a landscape', async () => {
    const { code, stderr } = await cli([
      'catalog',
      'import-landscape',
      join(LANDSCAPE_FILE, '..', 'cncf-games.yml'),
      '--out',
      '/tmp/never.json',
    ]);
    expect(code).toBe(1);
    expect(stderr).toContain('expected a top-level "landscape:" list');
  });
});
