import { type Reply, toPlainText } from '../../src/index.ts';

const BOLD = '\u001b[1m';
const DIM = '\u001b[2m';
const RESET = '\u001b[0m';

/** Renders a reply for the terminal: plain text, with headings bold and private replies marked when colour is on. */
export function renderConsole(reply: Reply, color: boolean): string {
  const text = toPlainText(reply);
  const body = color ? text.replace(/^== (.*) ==$/gm, `${BOLD}$1${RESET}`) : text;
  if (reply.visibility !== 'private') return body;
  const note = '(only you can see this)';
  return `${color ? DIM + note + RESET : note}\n${body}`;
}
