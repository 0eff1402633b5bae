import type { CommandContext } from '../commands/command.ts';
import { isLang, type Lang } from '../i18n/messages.ts';
import type { Choice, Reply } from '../reply/model.ts';

/** What an action may use: the same context a command gets, built by the bot for the press. */
export type ActionContext = CommandContext;

/**
 * What one action's file writes: its id, how its payload becomes a button's value and back, and what a press does.
 * The value is all a platform keeps of a button (Slack's `value`, Discord's `custom_id`), so it must stay readable
 * for as long as old messages with the button exist in channels: a change of format keeps decoding the old one.
 */
export interface ActionSpec<T> {
  /** Carried by every button of this action; never changed, since posted buttons name it. */
  readonly id: string;
  /** The button's value for `payload`, without the language (which `button` adds). */
  encode(payload: T): string;
  /**
   * The payload a pressed value carries (its language already removed), or null when the value is not one `encode`
   * makes: a forged or damaged press, refused before `run` with a private note and without any change.
   */
  decode(value: string): T | null;
  /** What a press does; an expected refusal throws a UserError like a command's. */
  run(ctx: ActionContext, payload: T): Reply[] | Promise<Reply[]>;
  /**
   * The press's receipt tells the member something was kept (a quiz answer): an adapter that acknowledges the
   * platform apart from replying acknowledges once the press is handled, so a crash after it loses nothing.
   */
  readonly keptBeforeAck?: boolean;
  /**
   * The press acts only on the member's own study (or names the channel it acts on), so it works outside any
   * channel: a direct message to a user-installed app, where the others are refused.
   */
  readonly personal?: boolean;
}

/** The button as a platform hands it back when pressed: the action's id and the value. */
export interface Press {
  actionId: string;
  value: string;
}

/** An action, with the builders every reply uses for its buttons, so no reply writes a value by hand. */
export interface Action<T> extends ActionSpec<T> {
  /** The press of this action with `payload`; `lang` when the message it sits on has one (see `splitPressed`). */
  press(payload: T, lang?: Lang): Press;
  /** A button that runs this action with `payload`, on a message in `lang`. */
  button(label: string, payload: T, lang: Lang, style?: Choice['style']): Choice;
}

/**
 * A button's value carries the language of the message it sits on as a suffix (`roundId:0:2@en`), so a press is
 * answered in that language even where the platform sends no locale (Slack) and the channel has none set. The
 * suffix goes last, so an action's own value is unchanged before it; buttons posted before the suffix existed have
 * none and still decode.
 */
const LANG_SUFFIX = /@(ko|en)$/;

/** A pressed value without its language suffix, and that language (null on buttons older than the suffix). */
export function splitPressed(pressed: string): { value: string; lang: Lang | null } {
  const match = LANG_SUFFIX.exec(pressed);
  const lang = match?.[1];
  return match && lang && isLang(lang)
    ? { value: pressed.slice(0, match.index), lang }
    : { value: pressed, lang: null };
}

/** Completes an action's file with the button builders. */
export function defineAction<T>(spec: ActionSpec<T>): Action<T> {
  const press = (payload: T, lang?: Lang): Press => {
    const value = spec.encode(payload);
    return { actionId: spec.id, value: lang ? `${value}@${lang}` : value };
  };
  return {
    ...spec,
    press,
    button: (label, payload, lang, style) => ({
      ...press(payload, lang),
      label,
      ...(style ? { style } : {}),
    }),
  };
}

/** A natural number written as `String(n)` writes it: digits only, no sign, no leading zero, at most `digits` long. */
export function naturalIn(text: string | undefined, digits: number): number | null {
  if (text === undefined || text.length > digits || !/^(?:0|[1-9]\d*)$/.test(text)) return null;
  return Number(text);
}

/** The value of an action whose payload is one number (a lesson's): in decimal, and read back only so. */
export const NUMBER_VALUE = {
  encode: (n: number): string => String(n),
  decode: (value: string): number | null => naturalIn(value, 6),
};

/**
 * A platform's id inside a value (a team, guild or channel id: letters and digits), as a regular expression's
 * source; the personal view's buttons name channels and spaces by them.
 */
export const PLATFORM_ID = '[A-Za-z0-9]{1,40}';
