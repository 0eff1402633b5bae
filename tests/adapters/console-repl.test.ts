import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { displayWidth } from '../../adapters/console/display-width.ts';
import { runRepl } from '../../adapters/console/repl.ts';
import type { Reply } from '../../src/index.ts';
import { testBot } from '../helpers/catalog.ts';
import { consoleInTerminal, consoleProcess, HAS_PTY_SCRIPT } from '../helpers/console-process.ts';
import { until } from '../helpers/until.ts';

class Sink extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: ESC is what a colour code starts with
const COLOUR = /\u001b\[[0-9;]*m/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: ESC starts every terminal control sequence
const CONTROL = /\u001b\[[0-9;]*[A-Za-z]/g;

describe('keys in the console', () => {
  it('answers the open question with A–D or 1–4, and says so in the user’s language when there is nothing to press', async () => {
    const data = await mkdtemp(join(tmpdir(), 'orch-keys-'));
    const { code, stdout } = await consoleProcess(data, [
      'A',
      '3',
      '/orch lang ko',
      'a',
      '3',
      '/orch quiz istio 2 10',
      '5',
      'E',
      'b',
      '/time +10s',
      '1',
    ]);
    expect(code).toBe(0);
    expect(stdout).toContain('No quiz question is open, so A answers nothing.');
    expect(stdout).toContain('Nothing to press: no message here has buttons yet.');
    expect(stdout).toContain('지금 열린 퀴즈 문제가 없어요.');
    expect(stdout).toContain('누를 버튼이 없어요.');
    // The questions are drawn at random, and some have three options rather than four.
    expect(stdout).toMatch(/5번 버튼은 없어요\. 1부터 [34] 사이의 숫자를 입력해 주세요\./);
    expect(stdout).toContain('이 문제에는 E 보기가 없어요.');
    expect(stdout).toMatch(/B로 답했어요/);
    expect(stdout).toMatch(/A로 답했어요/); // question 2, pressed by number
    // The console's user is 나 wherever a name is shown, the reveal's list of right answers included.
    expect(stdout).not.toContain('\uE000');
    // A lone key is never looked up in the catalog. The pattern is the not-found answer's own wording: a quiz
    // explanation may well say 찾지 못해요 about an upstream, which is not a lookup.
    expect(stdout).not.toMatch(/에 대한 결과가 없어요|혹시 이걸 찾으셨나요|Nothing found for|Did you mean/);
  });
});

describe('the quiz topic menu in the console', () => {
  it('lists the topics by number and starts the round on the one pressed', async () => {
    const data = await mkdtemp(join(tmpdir(), 'orch-menu-'));
    const { code, stdout } = await consoleProcess(data, ['/orch quiz --lang en', '1']);
    expect(code).toBe(0);
    expect(stdout).toContain('Pick a quiz topic');
    expect(stdout).toMatch(/\[1\] Everything/);
    expect(stdout).toContain('Round started.');
  });
});

if (!HAS_PTY_SCRIPT) console.warn('skipped: the console in a pseudo-terminal needs util-linux `script`');

describe.skipIf(!HAS_PTY_SCRIPT)('the console in a pseudo-terminal', () => {
  it('colours headings, wraps to the terminal width by display width and draws markup', async () => {
    const data = await mkdtemp(join(tmpdir(), 'orch-tty-'));
    const { code, screen } = await consoleInTerminal(data, ['/orch istio --lang ko'], 50);
    expect(code).toBe(0);
    expect(screen).toContain('\u001b[1;35mIstio');
    const card = screen.slice(screen.indexOf('\u001b[1;35mIstio'));
    // Links are left whole for the terminal to fold.
    const lines = card
      .replace(CONTROL, '')
      .split('\n')
      .filter((l) => !l.includes('http'));
    expect(Math.max(...lines.map(displayWidth))).toBeLessThanOrEqual(50);
    expect(card).not.toContain('**');
    expect(card).not.toContain('`');
  });

  it('has no colour with NO_COLOR set', async () => {
    const data = await mkdtemp(join(tmpdir(), 'orch-tty-'));
    const { code, screen } = await consoleInTerminal(data, ['/orch istio'], 80, { NO_COLOR: '1' });
    expect(code).toBe(0);
    expect(screen).toContain('== Istio ==');
    expect(screen).not.toMatch(COLOUR);
  });

  it('leaves on Ctrl-C, closing the store', async () => {
    const data = await mkdtemp(join(tmpdir(), 'orch-tty-'));
    const { code, screen } = await consoleInTerminal(
      data,
      ['/orch istio'],
      80,
      {},
      {
        send: '\u0003',
        after: 'Homepage',
      },
    );
    expect(code).toBe(0);
    expect(screen).toContain('Istio');
  });
});

describe('the console REPL on a terminal', () => {
  it('prints a post that arrives while the user types above the prompt, and keeps the typed text', async () => {
    const input = new PassThrough();
    const output = new Sink();
    let post: (reply: Reply) => void = () => undefined;
    const done = runRepl({
      bot: await testBot(),
      input,
      output,
      color: false,
      prompt: true,
      bindPrinter: (show) => {
        post = show;
      },
    });
    await until(() => output.text.includes('orch> '), 'the prompt');
    input.write('/orch ist');
    await until(() => output.text.includes('/orch ist'), 'the typed text echoed');
    post({ visibility: 'channel', blocks: [{ type: 'heading', text: 'Lesson 6/46' }] });
    const after = output.text.slice(output.text.lastIndexOf('== Lesson 6/46 =='));
    expect(after.replace(CONTROL, '')).toMatch(/^== Lesson 6\/46 ==\n\norch> \/orch ist$/);
    input.write('io\n');
    await until(() => output.text.includes('== Istio =='), 'the answer to the whole line');
    input.end('/quit\n');
    await done;
  });
});
