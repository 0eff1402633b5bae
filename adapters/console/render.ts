import { type Block, progressBar, type Reply, t } from '../../src/index.ts';
import { displayWidth, padDisplay, wrapLine } from './display-width.ts';

const STYLE = {
  bold: ['\u001b[1m', '\u001b[22m'],
  italic: ['\u001b[3m', '\u001b[23m'],
  dim: ['\u001b[2m', '\u001b[22m'],
  code: ['\u001b[36m', '\u001b[39m'],
  heading: ['\u001b[1;35m', '\u001b[22;39m'],
  title: ['\u001b[1;33m', '\u001b[22;39m'],
  label: ['\u001b[1m', '\u001b[22m'],
} as const;

/** How a reply is drawn: colour only on a terminal, and wrapped to its width when it has one. */
export interface ConsoleStyle {
  color: boolean;
  /** Terminal columns; undefined (a pipe, a file) leaves lines as they are. */
  width?: number | undefined;
}

/** Colour on a terminal only, and never when NO_COLOR is set to anything (https://no-color.org). */
export function useColor(
  stream: { isTTY?: boolean },
  env: Readonly<Record<string, string | undefined>>,
): boolean {
  return stream.isTTY === true && !env.NO_COLOR;
}

type Paint = (style: keyof typeof STYLE, text: string) => string;

/** The text block markdown subset, drawn: bold and italic styled, code coloured, no stars or backticks left. */
function inline(text: string, paint: Paint): string {
  // Code spans are set aside first, so stars or underscores inside code stay as typed, while bold may still
  // contain code (`**run `kubectl`**`, the case Slack's renderer got wrong).
  const codes: string[] = [];
  const shielded = text.replace(/`([^`\n]+)`/g, (_, code: string) => `\ue000${codes.push(code) - 1}\ue001`);
  return shielded
    .replace(/\[([^\]]+)\]\((https?:[^)\s]+)\)/g, '$1 <$2>')
    .replace(/\*\*([^*\n]+?)\*\*/g, (_, body: string) => paint('bold', body))
    .replace(
      /(^|[\s(])_([^_\n]+)_(?=$|[\s).,!?])/g,
      (_, before: string, body: string) => before + paint('italic', body),
    )
    .replace(/\ue000(\d+)\ue001/g, (_, i: string) => paint('code', codes[Number(i)] ?? ''));
}

/** The prefix of every line of a post in a thread. */
export const THREAD_BAR = '  │ ';

/** A line that is nothing but bold is a section title ("**Key concepts**"). */
const TITLE = /^\*\*([^*\n]+)\*\*$/;

/** The continuation indent of a wrapped line: under the text of a bullet, an option or a button. */
function hangingIndent(line: string): string {
  const match = /^(\s*(?:[-•*] |[A-E]\. |\d{1,2}\. |\[\d{1,2}\] |(?:✅|▫️)+ ))/u.exec(line);
  return ' '.repeat(displayWidth(match?.[1] ?? /^\s*/.exec(line)?.[0] ?? ''));
}

/** Options a question already lists in its text ("A. …") are not listed again as buttons: their keys are enough. */
function alreadyListed(reply: Reply, label: string): boolean {
  const shown = label.replace(/…$/, '');
  return reply.blocks.some(
    (b) => b.type === 'text' && b.text.split('\n').some((line) => line.startsWith(shown)),
  );
}

function blockLines(
  block: Block,
  reply: Reply,
  paint: Paint,
  color: boolean,
  width: number | undefined,
): string[] {
  // The indent only when wrapping: measuring it is the only width work a reply for a pipe would do.
  const wrap = (line: string, indent?: string): string[] =>
    width ? wrapLine(line, width, indent ?? hangingIndent(line)) : [line];
  switch (block.type) {
    case 'heading':
      return wrap(color ? paint('heading', block.text) : `== ${block.text} ==`);
    case 'text':
      return block.text.split('\n').flatMap((line) => {
        const title = TITLE.exec(line);
        return wrap(title ? paint('title', title[1] as string) : inline(line, paint));
      });
    case 'fields': {
      const labels = block.fields.map((f) => inline(f.label, paint));
      const labelWidth = Math.max(...labels.map(displayWidth));
      const indent = ' '.repeat(labelWidth + 3);
      return block.fields.flatMap((f, n) =>
        inline(f.value, paint)
          .split('\n')
          .flatMap((value, i) => {
            const head = i === 0 ? `${paint('label', padDisplay(labels[n] ?? '', labelWidth))} : ` : indent;
            return wrap(head + value, indent + hangingIndent(value));
          }),
      );
    }
    case 'choices': {
      if (block.choices.every((c) => alreadyListed(reply, c.label))) {
        const keys = block.choices.map((c, i) => `[${i + 1}] ${c.label.split('. ')[0]}`);
        return wrap(`  ${keys.join('   ')}`, '  ');
      }
      return block.choices.flatMap((c, i) => wrap(`  [${i + 1}] ${c.label}`));
    }
    case 'select':
      // Numbered like buttons: the REPL presses an option by its number.
      return [
        ...wrap(paint('dim', block.placeholder)),
        ...block.options.flatMap((o, i) => wrap(`  [${i + 1}] ${o.label}`)),
      ];
    case 'links':
      return block.links.flatMap((l) => wrap(`  - ${l.label}: ${l.url}`));
    case 'progress':
      return wrap(`${block.label} ${progressBar(block.done, block.total)}`);
    case 'divider':
      return [paint('dim', '-'.repeat(Math.min(40, width ?? 40)))];
    case 'context':
      return wrap(paint('dim', `(${inline(block.text, paint)})`));
  }
}

/**
 * Renders a reply for the terminal: markup drawn rather than shown, label/value tables and wrapped lines aligned by
 * display width (Hangul and emoji are two columns), headings and section titles coloured when colour is on.
 */
export function renderConsole(reply: Reply, style: ConsoleStyle | boolean): string {
  const { color, width } = typeof style === 'boolean' ? { color: style, width: undefined } : style;
  const paint: Paint = color ? (s, text) => `${STYLE[s][0]}${text}${STYLE[s][1]}` : (_, text) => text;
  // A post in a thread is drawn under its bar, indented, so it reads as a reply to the message above it.
  const bar = reply.thread ? THREAD_BAR : '';
  const columns = width && width >= 20 ? width - bar.length : undefined;
  const usable = columns && columns >= 20 ? columns : undefined;
  const lines = reply.blocks.flatMap((block) => blockLines(block, reply, paint, color, usable));
  const body = lines.map((line) => (bar ? `${paint('dim', bar)}${line}` : line)).join('\n');
  if (reply.visibility !== 'private') return body;
  // Said in the reply's language: its meta knows it for lookups; otherwise Hangul in the body tells.
  const lang = reply.meta?.lang ?? (/[\uac00-\ud7a3]/.test(body) ? 'ko' : 'en');
  return `${paint('dim', t(lang, 'console.privateNote'))}\n${body}`;
}
