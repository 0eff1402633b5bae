import type { Catalog, CuratedTool, LandscapeTool, Tool } from '../catalog/model.ts';
import { type Lang, t } from '../i18n/messages.ts';
import { KNOWN_PROJECTS } from '../query/landscape-ko-aliases.ts';
import type { Block, Reply } from './model.ts';

// A channel reply listing more than this many tools becomes a wall of text; the rest is summarised as a count.
const LIST_LIMIT = 15;

function categoryName(catalog: Catalog, id: string, lang: Lang): string {
  return catalog.categoryById.get(id)?.name[lang] ?? id;
}

function maturity(tool: Tool, lang: Lang): string {
  const base = t(lang, `maturity.${tool.maturity}`);
  return tool.source === 'curated' && tool.maturityNote ? `${base} (${tool.maturityNote[lang]})` : base;
}

/** A name the catalog lacks as a reader of `lang` calls it: the Korean spelling we keep for a known project. */
function missingName(name: string, lang: Lang): string {
  if (lang !== 'ko') return name;
  return KNOWN_PROJECTS.find((p) => p.name === name)?.ko[0] ?? name;
}

/** One line about a tool, for lists. */
export function toolLine(catalog: Catalog, tool: Tool, lang: Lang): string {
  if (tool.source === 'curated') return `**${tool.name}** — ${tool.summary[lang]}`;
  const about = tool.description ? ` — ${tool.description}` : '';
  return `**${tool.name}** (${categoryName(catalog, tool.category, lang)})${about}`;
}

function linkBlock(tool: Tool, lang: Lang): Block | null {
  const links: { label: string; url: string }[] = [];
  if (tool.homepage) links.push({ label: t(lang, 'card.homepage'), url: tool.homepage });
  if (tool.repository) links.push({ label: t(lang, 'card.repository'), url: tool.repository });
  if (tool.source === 'curated') links.push({ label: t(lang, 'card.docs'), url: tool.docs });
  return links.length > 0 ? { type: 'links', links } : null;
}

function curatedCard(catalog: Catalog, tool: CuratedTool, lang: Lang): Block[] {
  const related = tool.related.map((id) => catalog.toolById.get(id)?.name ?? id).join(', ');
  const bullets = (items: readonly string[]): string => items.map((i) => `• ${i}`).join('\n');
  const blocks: Block[] = [
    { type: 'heading', text: tool.name },
    { type: 'text', text: `_${tool.summary[lang]}_` },
    { type: 'text', text: tool.description[lang] },
    {
      type: 'fields',
      maturity: tool.maturity,
      fields: [
        { label: t(lang, 'card.category'), value: categoryName(catalog, tool.category, lang) },
        { label: t(lang, 'card.maturity'), value: maturity(tool, lang) },
        ...(tool.aliases.length > 0
          ? [{ label: t(lang, 'card.aliases'), value: tool.aliases.join(', ') }]
          : []),
        ...(related ? [{ label: t(lang, 'card.related'), value: related }] : []),
      ],
    },
    { type: 'text', text: `**${t(lang, 'card.concepts')}**\n${bullets(tool.concepts[lang])}` },
    { type: 'text', text: `**${t(lang, 'card.useCases')}**\n${bullets(tool.useCases[lang])}` },
    { type: 'text', text: `**${t(lang, 'card.whenToPick')}**\n${tool.whenToPick[lang]}` },
    {
      type: 'text',
      text: `**${t(lang, 'card.firstStep')}**\n${tool.firstStep.text[lang]}${tool.firstStep.command ? `\n\`${tool.firstStep.command}\`` : ''}`,
    },
  ];
  const links = linkBlock(tool, lang);
  if (links) blocks.push(links);
  return blocks;
}

function landscapeCard(catalog: Catalog, tool: LandscapeTool, lang: Lang): Block[] {
  const blocks: Block[] = [
    { type: 'heading', text: tool.name },
    {
      type: 'fields',
      maturity: tool.maturity,
      fields: [
        { label: t(lang, 'card.category'), value: categoryName(catalog, tool.category, lang) },
        { label: t(lang, 'card.maturity'), value: maturity(tool, lang) },
      ],
    },
    tool.description
      ? {
          type: 'text',
          text:
            lang === 'en' ? tool.description : `**${t(lang, 'card.descriptionLang')}**\n${tool.description}`,
        }
      : { type: 'text', text: t(lang, 'card.noDescription') },
  ];
  const links = linkBlock(tool, lang);
  if (links) blocks.push(links);
  blocks.push({
    type: 'context',
    text: t(lang, 'card.landscapeSource', {
      category: tool.landscapeCategory,
      subcategory: tool.landscapeSubcategory,
    }),
  });
  return blocks;
}

/** The full card of one tool. */
export function toolCard(catalog: Catalog, tool: Tool, lang: Lang): Reply {
  const blocks =
    tool.source === 'curated' ? curatedCard(catalog, tool, lang) : landscapeCard(catalog, tool, lang);
  return { visibility: 'channel', blocks };
}

/** A category with its tools, curated first. */
export function categoryList(
  catalog: Catalog,
  categoryId: string,
  toolIds: readonly string[],
  lang: Lang,
): Reply {
  const category = catalog.categoryById.get(categoryId);
  const tools = toolIds.map((id) => catalog.toolById.get(id)).filter((x): x is Tool => x !== undefined);
  const shown = tools.slice(0, LIST_LIMIT);
  const blocks: Block[] = [
    { type: 'heading', text: t(lang, 'category.heading', { name: category?.name[lang] ?? categoryId }) },
  ];
  if (category) blocks.push({ type: 'text', text: category.summary[lang] });
  blocks.push({ type: 'text', text: shown.map((tool) => `• ${toolLine(catalog, tool, lang)}`).join('\n') });
  if (tools.length > shown.length)
    blocks.push({ type: 'context', text: t(lang, 'category.more', { count: tools.length - shown.length }) });
  blocks.push({
    type: 'context',
    text: `${t(lang, 'category.count', { count: tools.length })} ${t(lang, 'category.hint')}`,
  });
  return { visibility: 'channel', blocks };
}

/** Tools side by side: what each is, where it sits, and when to pick it; a side the catalog lacks is named. */
export function comparison(
  catalog: Catalog,
  toolIds: readonly string[],
  lang: Lang,
  missing: readonly string[] = [],
): Reply {
  const tools = toolIds.map((id) => catalog.toolById.get(id)).filter((x): x is Tool => x !== undefined);
  const blocks: Block[] = [
    { type: 'heading', text: t(lang, 'compare.heading', { names: tools.map((x) => x.name).join(' vs ') }) },
  ];
  for (const tool of tools) {
    blocks.push({ type: 'divider' });
    blocks.push({ type: 'text', text: toolLine(catalog, tool, lang) });
    const fields = [
      { label: t(lang, 'card.category'), value: categoryName(catalog, tool.category, lang) },
      { label: t(lang, 'card.maturity'), value: maturity(tool, lang) },
    ];
    if (tool.source === 'curated') {
      fields.push({ label: t(lang, 'card.concepts'), value: tool.concepts[lang].slice(0, 3).join(' / ') });
      fields.push({ label: t(lang, 'card.whenToPick'), value: tool.whenToPick[lang] });
    }
    blocks.push({ type: 'fields', fields, maturity: tool.maturity });
  }
  for (const name of missing.map((m) => missingName(m, lang))) {
    blocks.push({ type: 'divider' });
    blocks.push({ type: 'text', text: t(lang, 'compare.missing', { name }) });
  }
  blocks.push({ type: 'context', text: t(lang, 'compare.hint') });
  return { visibility: 'channel', blocks };
}

/** Ranked tools for a free-text question. */
export function searchResults(
  catalog: Catalog,
  query: string,
  toolIds: readonly string[],
  lang: Lang,
): Reply {
  const tools = toolIds.map((id) => catalog.toolById.get(id)).filter((x): x is Tool => x !== undefined);
  return {
    visibility: 'channel',
    blocks: [
      { type: 'heading', text: t(lang, 'search.heading', { query }) },
      { type: 'text', text: tools.map((tool, i) => `${i + 1}. ${toolLine(catalog, tool, lang)}`).join('\n') },
      { type: 'context', text: t(lang, 'category.hint') },
    ],
  };
}

/**
 * Nothing matched: say so, offer close names, and show how to ask. For a known project the catalog lacks
 * (`missing`), say plainly that it is not here, name the curated tools of the same kind if there are any, and
 * tell an admin how to import the landscape when it is not loaded.
 */
export function notFound(
  catalog: Catalog,
  query: string,
  suggestions: readonly string[],
  lang: Lang,
  missing: readonly string[] = [],
): Reply {
  const names = suggestions
    .map((id) => catalog.toolById.get(id)?.name ?? catalog.categoryById.get(id)?.name[lang])
    .filter((x): x is string => x !== undefined);
  const absent = missing[0] ? missingName(missing[0], lang) : undefined;
  if (absent) {
    const landscapeLoaded = catalog.tools.some((x) => x.source === 'landscape');
    const key = landscapeLoaded ? 'notFound.notInCatalog' : 'notFound.notCurated';
    const blocks: Block[] = [{ type: 'heading', text: t(lang, key, { name: absent }) }];
    const first = suggestions[0] ? catalog.toolById.get(suggestions[0]) : undefined;
    if (first && names.length > 0)
      blocks.push({
        type: 'text',
        text: t(lang, 'notFound.closest', {
          names: names.join(', '),
          kind: categoryName(catalog, first.category, lang),
        }),
      });
    if (!landscapeLoaded) blocks.push({ type: 'context', text: t(lang, 'notFound.importHint') });
    return { visibility: 'private', blocks };
  }
  const blocks: Block[] = [{ type: 'heading', text: t(lang, 'notFound.heading', { query }) }];
  if (names.length > 0)
    blocks.push({ type: 'text', text: t(lang, 'notFound.didYouMean', { names: names.join(', ') }) });
  blocks.push({ type: 'context', text: t(lang, 'notFound.hint') });
  return { visibility: 'private', blocks };
}

/** Every curated category with its tools. */
export function categoryOverview(catalog: Catalog, lang: Lang): Reply {
  const lines = catalog.categories
    .filter((c) => c.source === 'curated')
    .map((c) => {
      const tools = catalog.tools
        .filter((x) => x.source === 'curated' && x.category === c.id)
        .map((x) => x.name);
      return `• **${c.name[lang]}** (\`${c.id}\`): ${tools.join(', ')}`;
    });
  const blocks: Block[] = [
    { type: 'heading', text: t(lang, 'categories.heading') },
    { type: 'text', text: lines.join('\n') },
  ];
  // With the landscape imported, its subcategories are categories too, grouped under the landscape's own headings.
  const groups = new Map<string, Map<string, number>>();
  for (const tool of catalog.tools) {
    if (tool.source !== 'landscape') continue;
    const group = groups.get(tool.landscapeCategory) ?? new Map<string, number>();
    group.set(tool.category, (group.get(tool.category) ?? 0) + 1);
    groups.set(tool.landscapeCategory, group);
  }
  if (groups.size > 0) {
    const count = [...groups.values()].reduce((n, g) => n + g.size, 0);
    blocks.push({ type: 'heading', text: t(lang, 'categories.landscapeHeading', { count }) });
    const landscapeLines = [...groups.entries()].map(
      ([group, subs]) =>
        `• **${group}**: ${[...subs.entries()].map(([id, n]) => `${catalog.categoryById.get(id)?.name.en ?? id} (${n})`).join(', ')}`,
    );
    blocks.push({ type: 'text', text: landscapeLines.join('\n') });
  }
  blocks.push({ type: 'context', text: t(lang, 'category.hint') });
  return { visibility: 'channel', blocks };
}
