import type { Block, Reply } from './model.ts';

const BAR_WIDTH = 20;

/** A text bar such as "[########------------] 8/20 (40%)". */
export function progressBar(done: number, total: number, width = BAR_WIDTH): string {
  const ratio = total > 0 ? Math.min(1, Math.max(0, done / total)) : 0;
  const filled = Math.round(ratio * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total} (${Math.round(ratio * 100)}%)`;
}

/** Strips the markdown subset to what reads well as plain text: links become "label <url>". */
export function markdownToPlain(text: string): string {
  return text
    .replace(/\[([^\]]+)\]\((https?:[^)\s]+)\)/g, '$1 <$2>')
    .replace(/\*\*([^*]+)\*\*/g, '$1')
    .replace(/(^|[\s(])_([^_]+)_(?=$|[\s).,!?])/g, '$1$2');
}

function blockToPlain(block: Block): string {
  switch (block.type) {
    case 'heading':
      return `== ${block.text} ==`;
    case 'text':
      return markdownToPlain(block.text);
    case 'fields': {
      const width = Math.max(...block.fields.map((f) => [...f.label].length));
      return block.fields.map((f) => `${f.label.padEnd(width)} : ${markdownToPlain(f.value)}`).join('\n');
    }
    case 'choices':
      return block.choices.map((c, i) => `  [${i + 1}] ${c.label}`).join('\n');
    case 'select':
      return [block.placeholder, ...block.options.map((o, i) => `  [${i + 1}] ${o.label}`)].join('\n');
    case 'links':
      return block.links.map((l) => `  - ${l.label}: ${l.url}`).join('\n');
    case 'progress':
      return `${block.label} ${progressBar(block.done, block.total)}`;
    case 'divider':
      return '----------------------------------------';
    case 'context':
      return `(${markdownToPlain(block.text)})`;
  }
}

/** Renders any Reply as plain text: the console output, Slack's `text` fallback, Discord's `content`. */
export function toPlainText(reply: Reply): string {
  return reply.blocks.map(blockToPlain).join('\n');
}

/** The choices of a reply in display order, so a console user can pick one by number. */
export function choicesOf(reply: Reply): { actionId: string; value: string; label: string }[] {
  // A select's options are pressed by number on the console, as buttons are.
  return reply.blocks.flatMap((b) =>
    b.type === 'choices' ? b.choices : b.type === 'select' ? b.options.map(({ group: _, ...o }) => o) : [],
  );
}
