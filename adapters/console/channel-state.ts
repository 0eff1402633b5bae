import { channelKey, type Lang, QUIZ_ANSWER_ACTION, type Store } from '../../src/index.ts';
import { CONSOLE_WHERE } from './parse.ts';

/** The quiz question open in the console's channel: the answer buttons a letter or number presses. */
export interface OpenQuestion {
  choices: { actionId: string; value: string }[];
}

/** What the REPL asks the store about its one channel: the open quiz question and the channel's language. */
export interface ConsoleChannel {
  openQuestion(): Promise<OpenQuestion | null>;
  lang(): Promise<Lang | null>;
}

/** Reads the console's channel from the store, so a question asked before a restart can still be answered. */
export function consoleChannel(store: Store): ConsoleChannel {
  const key = channelKey(CONSOLE_WHERE);
  return {
    async openQuestion() {
      const round = await store.runningRound(key);
      if (!round) return null;
      const question = await store.roundQuestion(round.id, round.current);
      if (!question || question.postedAt === null || question.revealedAt !== null) return null;
      return {
        choices: question.question.options.map((_, option) => ({
          actionId: QUIZ_ANSWER_ACTION,
          value: `${round.id}:${round.current}:${option}`,
        })),
      };
    },
    async lang() {
      return (await store.getChannel(key))?.lang ?? null;
    },
  };
}
