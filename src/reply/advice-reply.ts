import type { Catalog, CuratedTool, Tool } from '../catalog/model.ts';
import { type Lang, t } from '../i18n/messages.ts';
import type { Block, Reply } from './model.ts';

// Landscape peers named after the curated advice; more is a list, not advice.
const LANDSCAPE_NAMES = 8;

/**
 * "Which service mesh should I use": each curated tool of the category (or the few tools the role names) with
 * when to pick it, then the landscape's other options by name.
 */
export function adviceReply(
  catalog: Catalog,
  toolIds: readonly string[],
  categoryId: string | null,
  lang: Lang,
): Reply {
  const tools = toolIds.map((id) => catalog.toolById.get(id)).filter((x): x is Tool => x !== undefined);
  const curated = tools.filter((x): x is CuratedTool => x.source === 'curated');
  const others = tools.filter((x) => x.source !== 'curated');
  const category = categoryId ? catalog.categoryById.get(categoryId) : undefined;
  const blocks: Block[] = [
    {
      type: 'heading',
      text: category
        ? t(lang, 'advice.heading', { name: category.name[lang] })
        : t(lang, 'advice.roleHeading', { names: tools.map((x) => x.name).join(', ') }),
    },
  ];
  if (category) blocks.push({ type: 'text', text: category.summary[lang] });
  for (const tool of curated) {
    blocks.push({ type: 'divider' });
    blocks.push({
      type: 'text',
      text: `**${tool.name}** — ${tool.summary[lang]}\n**${t(lang, 'advice.pick')}**: ${tool.whenToPick[lang]}`,
    });
  }
  if (others.length > 0) {
    const names = others.slice(0, LANDSCAPE_NAMES).map((x) => x.name);
    if (curated.length === 0)
      blocks.push({
        type: 'text',
        text: others
          .slice(0, LANDSCAPE_NAMES)
          .map((x) => `• **${x.name}**`)
          .join('\n'),
      });
    else blocks.push({ type: 'context', text: t(lang, 'advice.landscapeMore', { names: names.join(', ') }) });
  }
  blocks.push({ type: 'context', text: t(lang, 'advice.hint') });
  return { visibility: 'channel', blocks };
}
