import { describe, expect, it } from 'vitest';
import { displayWidth, wrapLine } from '../../adapters/console/display-width.ts';
import { renderConsole, useColor } from '../../adapters/console/render.ts';
import type { Reply } from '../../src/index.ts';
import { questionReply } from '../../src/quiz/quiz-replies.ts';
import { ask } from '../helpers/catalog.ts';

// biome-ignore lint/suspicious/noControlCharactersInRegex: ESC is what a colour code starts with
const ANSI = /\u001b\[[0-9;]*m/g;
const plain = (text: string) => text.replace(ANSI, '');
const widest = (text: string) => Math.max(...text.split('\n').map(displayWidth));

describe('display width', () => {
  it('counts Hangul, CJK and emoji as two columns and marks and colour codes as none', () => {
    expect(displayWidth('istio')).toBe(5);
    expect(displayWidth('이스티오')).toBe(8);
    expect(displayWidth('ㅇㅅㅌㅇ')).toBe(8);
    expect(displayWidth('日本')).toBe(4);
    expect(displayWidth('✅ 1')).toBe(4);
    expect(displayWidth('▫️')).toBe(2);
    expect(displayWidth('▫')).toBe(1);
    expect(displayWidth('👍🏽')).toBe(2);
    expect(displayWidth('👩‍💻')).toBe(2);
    expect(displayWidth('e\u0301')).toBe(1);
    expect(displayWidth('\u001b[1m굵게\u001b[22m')).toBe(4);
  });

  it('measures plain text (ASCII, Latin-1, punctuation, Hangul syllables) without a segmenter, to the same width', () => {
    // A combining mark joins the last character, adding no width, and sends the text down the segmenter's path.
    for (const text of ['istio', '이스티오 · 서비스 메시', 'café — “mTLS” …', '가각 ‘a’ ©', '½ ¿', ''])
      expect(displayWidth(text), text).toBe(displayWidth(`${text}\u0301`));
    expect(displayWidth('이스티오 · mesh')).toBe(15);
    // Not a grapheme each: a syllable with a conjoining final consonant, a soft hyphen, a zero-width joiner.
    expect(displayWidth('가\u11a8')).toBe(2);
    expect(displayWidth('a\u00adb')).toBe(2);
    expect(displayWidth('a\u200db')).toBe(2);
  });

  it('wraps Korean at spaces within the width, continuing under the hanging indent', () => {
    const line =
      '• 파드마다 Envoy 사이드카를 붙이는 방식과, 노드마다 ztunnel을 두는 앰비언트 모드 중에서 고를 수 있어요.';
    const lines = wrapLine(line, 30, '  ');
    expect(lines.length).toBeGreaterThan(2);
    for (const l of lines) expect(displayWidth(l)).toBeLessThanOrEqual(30);
    expect(lines.slice(1).every((l) => l.startsWith('  ') && !l.startsWith('   '))).toBe(true);
    expect(lines.map((l) => l.trim()).join(' ')).toBe(line);
  });

  it('cuts a word wider than the line between graphemes, but never a link', () => {
    const lines = wrapLine('가'.repeat(15), 10);
    expect(lines).toEqual(['가'.repeat(5), '가'.repeat(5), '가'.repeat(5)]);
    const url = 'https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/';
    expect(wrapLine(`  - Pod Lifecycle: ${url}`, 30, '    ')).toEqual(['  - Pod Lifecycle:', `    ${url}`]);
  });
});

describe('the console renderer', () => {
  it('keeps every line of a Korean tool card within the terminal width', async () => {
    const [card] = await ask('/orch istio --lang ko');
    for (const width of [40, 60, 80]) {
      const text = renderConsole(card as Reply, { color: true, width });
      expect(widest(text)).toBeLessThanOrEqual(width);
    }
  });

  it('leaves lines alone when there is no terminal width (a pipe)', async () => {
    const [card] = await ask('/orch istio --lang en');
    expect(widest(renderConsole(card as Reply, false))).toBeGreaterThan(200);
  });

  it('aligns a label/value table by display width, continuation lines under the values', () => {
    const reply: Reply = {
      visibility: 'channel',
      blocks: [
        {
          type: 'fields',
          fields: [
            { label: '카테고리', value: '서비스 메시' },
            { label: 'CNCF 성숙도', value: '졸업' },
            { label: '답', value: '✅ A. 첫째: 1\n▫️ B. 둘째: 0' },
          ],
        },
      ],
    };
    const lines = renderConsole(reply, false).split('\n');
    const columns = lines
      .filter((l) => l.includes(' : '))
      .map((l) => displayWidth(l.split(' : ')[0] as string));
    expect(new Set(columns).size).toBe(1);
    expect(displayWidth(lines[2]?.split('✅')[0] ?? '')).toBe(displayWidth(lines[3]?.split('▫️')[0] ?? ''));
  });

  it('draws bold and inline code instead of showing stars and backticks, with and without colour', () => {
    const reply: Reply = {
      visibility: 'channel',
      blocks: [
        {
          type: 'text',
          text: '**Key concepts**\nRun `kubectl get pods` and **read the `kubelet` log**; `a**b**c` stays.',
        },
      ],
    };
    for (const color of [false, true]) {
      const text = plain(renderConsole(reply, color));
      expect(text).toBe('Key concepts\nRun kubectl get pods and read the kubelet log; a**b**c stays.');
    }
    const coloured = renderConsole(reply, true);
    expect(coloured).toContain('\u001b[1;33mKey concepts'); // a section title
    expect(coloured).toContain('\u001b[36mkubectl get pods\u001b[39m');
    expect(coloured).toContain('\u001b[1mread the \u001b[36mkubelet\u001b[39m log\u001b[22m');
  });

  it('colours headings only when colour is on', () => {
    const reply: Reply = { visibility: 'channel', blocks: [{ type: 'heading', text: 'Istio' }] };
    expect(renderConsole(reply, false)).toBe('== Istio ==');
    expect(renderConsole(reply, true)).toBe('\u001b[1;35mIstio\u001b[22;39m');
  });

  it('uses colour on a terminal only, and never with NO_COLOR set', () => {
    expect(useColor({ isTTY: true }, {})).toBe(true);
    expect(useColor({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(useColor({ isTTY: false }, {})).toBe(false);
    expect(useColor({}, {})).toBe(false);
    expect(useColor({ isTTY: true }, { NO_COLOR: '' })).toBe(true);
  });

  it('shows a quiz question’s options once, with the keys that press them', () => {
    const question = questionReply(
      'r1',
      0,
      3,
      {
        questionId: 'q',
        question: { en: 'Which proxy does Istio use?', ko: '이스티오는 어떤 프록시를 쓰나요?' },
        options: [
          'Envoy',
          'NGINX',
          'HAProxy',
          'A proxy whose name is far too long to fit on any button label at all',
        ].map((o) => ({ en: o, ko: o })),
        answer: 0,
        explanation: { en: '', ko: '' },
        toolId: 'istio',
      },
      30,
      'en',
    );
    const text = renderConsole(question, false);
    expect(text.match(/NGINX/g)).toHaveLength(1);
    expect(text.match(/far too long/g)).toHaveLength(1);
    expect(text).toContain('[1] A   [2] B   [3] C   [4] D');
  });
});

describe('a post in a thread on the console', () => {
  const question = questionReply(
    'r1',
    0,
    2,
    {
      questionId: 'q',
      question: { en: 'Which proxy does Istio use for its sidecars?', ko: '이스티오 사이드카 프록시는?' },
      options: [
        { en: 'Envoy', ko: 'Envoy' },
        { en: 'NGINX', ko: 'NGINX' },
      ],
      answer: 0,
      explanation: { en: 'Envoy.', ko: 'Envoy.' },
      toolId: 'istio',
    },
    20,
    'en',
  );

  it('draws every line of a thread post under the thread bar, and a channel post without it', () => {
    const inThread = renderConsole({ ...question, thread: { anchorId: 'console-1' } }, false);
    const lines = inThread.split('\n');
    expect(lines.length).toBeGreaterThan(2);
    for (const line of lines) expect(line.startsWith('  │ ')).toBe(true);
    expect(inThread).toContain('Which proxy does Istio use');
    const inChannel = renderConsole(question, false);
    expect(inChannel.split('\n').some((line) => line.startsWith('  │ '))).toBe(false);
    expect(inThread.replaceAll('  │ ', '')).toBe(inChannel);
  });

  it('keeps a wrapped thread post within the terminal width, bar included', () => {
    const reply: Reply = {
      visibility: 'channel',
      thread: { anchorId: 'console-1' },
      blocks: [{ type: 'text', text: '서비스 메시는 '.repeat(20) }],
    };
    const drawn = renderConsole(reply, { color: true, width: 40 });
    expect(widest(plain(drawn))).toBeLessThanOrEqual(40);
    for (const line of plain(drawn).split('\n')) expect(line.startsWith('  │ ')).toBe(true);
  });
});
