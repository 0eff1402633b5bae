import { formatChannelKey, formatDateTime, type Lang, quizAnswer, type Store } from '../../src/index.ts';
import { CONSOLE_WHERE } from './parse.ts';

/** The quiz question open in the console's channel: the answer buttons a letter or number presses. */
export interface OpenQuestion {
  choices: { actionId: string; value: string }[];
}

/** What the REPL asks the store about its one channel: the open quiz question, its language and its time zone. */
export interface ConsoleChannel {
  openQuestion(): Promise<OpenQuestion | null>;
  lang(): Promise<Lang | null>;
  timeZone(): Promise<string | null>;
}

/**
 * A time as the console's channel reads it (its schedule's zone, else the default; its language): the console moves
 * its clock with /time, so it shows when each post arrived, and people read times in their zone, not as UTC.
 */
export async function channelTime(
  at: Date,
  channel: ConsoleChannel,
  defaults: { lang: Lang; timeZone: string },
): Promise<string> {
  const [lang, zone] = await Promise.all([channel.lang(), channel.timeZone()]);
  return formatDateTime(at.getTime(), zone ?? defaults.timeZone, lang ?? defaults.lang, { year: true });
}

/** Reads the console's channel from the store, so a question asked before a restart can still be answered. */
export function consoleChannel(store: Store): ConsoleChannel {
  const key = formatChannelKey(CONSOLE_WHERE);
  return {
    async openQuestion() {
      const round = await store.runningRound(key);
      if (!round) return null;
      const question = await store.roundQuestion(round.id, round.current);
      if (!question || question.postedAt === null || question.revealedAt !== null) return null;
      return {
        // No language on these presses: they are answered in the channel's, as a typed line is.
        choices: question.question.options.map((_, option) =>
          quizAnswer.press({ roundId: round.id, index: round.current, option }),
        ),
      };
    },
    async lang() {
      return (await store.getChannel(key))?.lang ?? null;
    },
    async timeZone() {
      return (await store.getChannel(key))?.timeZone ?? null;
    },
  };
}
