import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { inflateSync } from 'node:zlib';
import type { Resvg as ResvgClass } from '@resvg/resvg-js';
import { formatDateTime } from '../i18n/dates.ts';
import { t } from '../i18n/messages.ts';
import { escapeMarkup } from '../reply/safe-text.ts';
import type { DigestData } from './digest-data.ts';
import { weekSpan } from './digest-reply.ts';

export const CARD_WIDTH = 1200;
export const CARD_HEIGHT = 675;

const require = createRequire(import.meta.url);
/** The card's family: Noto Sans KR, from the npm package, so every install renders Hangul the same way. */
const FAMILY = 'Noto Sans KR';
const FONT_PACKAGE = '@openfonts/noto-sans-kr_korean';
const WEIGHTS = [400, 700] as const;

let resvg: typeof ResvgClass | undefined;
let fontFiles: string[] | undefined;

/**
 * WOFF 1.0 (what the font package ships) to the plain OpenType resvg reads: the same tables, each inflated where it
 * was deflated, behind a rebuilt table directory. No glyph is touched.
 */
export function woffToOpenType(woff: Buffer): Buffer {
  if (woff.readUInt32BE(0) !== 0x774f4646) throw new Error('not a WOFF 1.0 font');
  const numTables = woff.readUInt16BE(12);
  const tables: { tag: number; checksum: number; data: Buffer }[] = [];
  for (let i = 0; i < numTables; i++) {
    const entry = 44 + i * 20;
    const offset = woff.readUInt32BE(entry + 4);
    const compressed = woff.readUInt32BE(entry + 8);
    const original = woff.readUInt32BE(entry + 12);
    const raw = woff.subarray(offset, offset + compressed);
    tables.push({
      tag: woff.readUInt32BE(entry),
      checksum: woff.readUInt32BE(entry + 16),
      data: compressed < original ? inflateSync(raw) : raw,
    });
  }
  const headerSize = 12 + numTables * 16;
  const padded = (n: number) => (n + 3) & ~3;
  const out = Buffer.alloc(headerSize + tables.reduce((sum, table) => sum + padded(table.data.length), 0));
  out.writeUInt32BE(woff.readUInt32BE(4), 0);
  out.writeUInt16BE(numTables, 4);
  const selector = Math.floor(Math.log2(numTables));
  out.writeUInt16BE(2 ** selector * 16, 6);
  out.writeUInt16BE(selector, 8);
  out.writeUInt16BE(numTables * 16 - 2 ** selector * 16, 10);
  let at = headerSize;
  tables.forEach((table, i) => {
    const entry = 12 + i * 16;
    out.writeUInt32BE(table.tag, entry);
    out.writeUInt32BE(table.checksum, entry + 4);
    out.writeUInt32BE(at, entry + 8);
    out.writeUInt32BE(table.data.length, entry + 12);
    table.data.copy(out, at);
    at += padded(table.data.length);
  });
  return out;
}

let manifestPath: string | undefined;
/** The font package's package.json, resolved once. */
function fontManifest(): string {
  manifestPath ??= require.resolve(`${FONT_PACKAGE}/package.json`);
  return manifestPath;
}

/** The WOFF file of the font package at `weight` (400 or 700): the card converts it, the group page serves it. */
export function notoSansKrWoff(weight: (typeof WEIGHTS)[number]): string {
  return join(dirname(fontManifest()), 'files', `noto-sans-kr-korean-${weight}.woff`);
}

/** The card's fonts as OpenType files, converted once per version of the package into a folder of the OS's. */
function cardFonts(): string[] {
  if (fontFiles) return fontFiles;
  const version = (JSON.parse(readFileSync(fontManifest(), 'utf8')) as { version: string }).version;
  const folder = join(tmpdir(), `orch-fonts-${version}`);
  mkdirSync(folder, { recursive: true });
  fontFiles = WEIGHTS.map((weight) => {
    const file = join(folder, `noto-sans-kr-korean-${weight}.otf`);
    if (!existsSync(file)) {
      const woff = readFileSync(notoSansKrWoff(weight));
      // Written beside and renamed: two processes converting at once never read a half-written file.
      const partial = `${file}.${process.pid}`;
      writeFileSync(partial, woffToOpenType(woff));
      renameSync(partial, file);
    }
    return file;
  });
  return fontFiles;
}

/** Roughly how wide `text` sets in ems: Hangul and wide signs a full em, the rest about half. */
function ems(text: string): number {
  let width = 0;
  for (const char of text)
    width += /[\u1100-\u11ff\u3000-\u9fff\uac00-\ud7af\uff00-\uffef]/.test(char) ? 1 : 0.56;
  return width;
}

/** `text` cut to fit `maxEms`, with an ellipsis when it was cut. */
function fitted(text: string, maxEms: number): string {
  if (ems(text) <= maxEms) return text;
  let out = '';
  for (const char of text) {
    if (ems(`${out}${char}…`) > maxEms) break;
    out += char;
  }
  return `${out.trimEnd()}…`;
}

interface TextOptions {
  size: number;
  weight?: 400 | 700;
  fill?: string;
  anchor?: 'start' | 'end';
}

function text(x: number, y: number, content: string, o: TextOptions): string {
  return (
    `<text x="${x}" y="${y}" font-family="${FAMILY}" font-size="${o.size}" font-weight="${o.weight ?? 400}"` +
    ` fill="${o.fill ?? '#0f172a'}"${o.anchor === 'end' ? ' text-anchor="end"' : ''}>${escapeMarkup(content)}</text>`
  );
}

const INK = '#0f172a';
const MUTED = '#64748b';
const ACCENT = '#2563eb';
const TRACK = '#e2e8f0';

/**
 * The digest card as SVG, drawn from the data: the week, a bar per roadmap track, the quiz leaderboard as bars, and
 * this week's lessons. Every figure on it is also in the text digest.
 */
export function digestSvg(data: DigestData): string {
  const { lang } = data;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${CARD_WIDTH}" height="${CARD_HEIGHT}" viewBox="0 0 ${CARD_WIDTH} ${CARD_HEIGHT}">`,
    `<rect width="${CARD_WIDTH}" height="${CARD_HEIGHT}" fill="#f8fafc"/>`,
    `<rect x="0" y="0" width="${CARD_WIDTH}" height="8" fill="${ACCENT}"/>`,
    text(56, 78, t(lang, 'digest.heading', weekSpan(data)), { size: 34, weight: 700 }),
  ];

  // Left: the roadmap, a bar per track.
  parts.push(text(56, 140, t(lang, 'digest.roadmap'), { size: 24, weight: 700, fill: ACCENT }));
  const tracks = data.tracks.slice(0, 6);
  tracks.forEach((track, i) => {
    const y = 186 + i * 58;
    const share = track.total === 0 ? 0 : track.posted / track.total;
    parts.push(text(56, y, fitted(track.title, 21), { size: 20 }));
    parts.push(text(556, y, `${track.posted}/${track.total}`, { size: 20, fill: MUTED, anchor: 'end' }));
    parts.push(`<rect x="56" y="${y + 12}" width="500" height="14" rx="7" fill="${TRACK}"/>`);
    if (share > 0)
      parts.push(
        `<rect x="56" y="${y + 12}" width="${Math.max(14, 500 * share)}" height="14" rx="7" fill="${ACCENT}"/>`,
      );
  });

  // Right: last week's leaderboard, bars scaled to the winner.
  parts.push(text(644, 140, t(lang, 'digest.quiz'), { size: 24, weight: 700, fill: ACCENT }));
  if (data.leaderboard.length === 0) {
    parts.push(text(644, 186, fitted(t(lang, 'digest.noQuiz'), 26), { size: 20, fill: MUTED }));
  } else {
    const best = Math.max(1, ...data.leaderboard.map((row) => row.points));
    data.leaderboard.forEach((row, i) => {
      const y = 186 + i * 46;
      parts.push(
        text(644, y, `${i + 1}. ${fitted(row.name, 12)}`, { size: 20, weight: i === 0 ? 700 : 400 }),
      );
      parts.push(text(1144, y, `${row.points}`, { size: 20, fill: MUTED, anchor: 'end' }));
      parts.push(
        `<rect x="644" y="${y + 10}" width="${Math.max(6, 500 * (row.points / best))}" height="10" rx="5" fill="${i === 0 ? ACCENT : '#93c5fd'}"/>`,
      );
    });
  }

  if (data.improved) {
    const y = 186 + Math.max(1, data.leaderboard.length) * 46 + 20;
    const line = t(lang, 'digest.cardImproved', { name: data.improved.name, gain: data.improved.gain });
    parts.push(text(644, y, fitted(line, 26), { size: 20, fill: MUTED }));
  }

  // Bottom: this week's lessons and the reviews waiting.
  parts.push(`<rect x="56" y="528" width="1088" height="1" fill="${TRACK}"/>`);
  parts.push(text(56, 568, t(lang, 'digest.next'), { size: 22, weight: 700, fill: ACCENT }));
  const next = data.next.slice(0, 2);
  if (next.length === 0) parts.push(text(56, 604, t(lang, 'digest.noNext'), { size: 20, fill: MUTED }));
  next.forEach((lesson, i) => {
    const line = t(lang, 'digest.nextLine', {
      at: formatDateTime(lesson.at, data.timeZone, lang),
      number: lesson.number,
      title: lesson.title,
    });
    parts.push(text(56, 604 + i * 34, fitted(line, 40), { size: 20, fill: INK }));
  });
  parts.push(
    text(1144, 568, t(lang, 'digest.cardReviews', { count: data.reviewsDue }), {
      size: 20,
      fill: MUTED,
      anchor: 'end',
    }),
  );
  parts.push('</svg>');
  return parts.join('');
}

/** The card as a PNG (resvg, no browser): about 30 ms once the fonts are converted. */
export function renderDigestCard(data: DigestData): Uint8Array {
  resvg ??= (require('@resvg/resvg-js') as { Resvg: typeof ResvgClass }).Resvg;
  const svg = digestSvg(data);
  const image = new resvg(svg, {
    font: { fontFiles: cardFonts(), loadSystemFonts: false, defaultFontFamily: FAMILY },
    fitTo: { mode: 'original' },
  });
  return image.render().asPng();
}
