import { isLang, type Lang } from './i18n/messages.ts';

/**
 * A button's value carries the language of the message it sits on as a suffix (`roundId:0:2@en`), so a press is
 * answered in that language even where the platform sends no locale (Slack) and the channel has none set. The
 * suffix goes last, so code that reads a value's leading parts (round id, question index) reads them unchanged.
 */
const SUFFIX = /@(ko|en)$/;

/** The value of a button on a message in `lang`. */
export function withLang(value: string, lang: Lang): string {
  return `${value}@${lang}`;
}

/** A pressed button's value and the language it was posted in; buttons posted before the suffix existed have none. */
export function splitLang(value: string): { value: string; lang: Lang | null } {
  const match = SUFFIX.exec(value);
  const lang = match?.[1];
  return match && lang && isLang(lang) ? { value: value.slice(0, match.index), lang } : { value, lang: null };
}
