import { type Lang, t } from '../i18n/messages.ts';
import { privateText, type Reply } from '../reply/model.ts';
import type { QuizRound } from '../store/store.ts';
import type { QuizTopic } from './bank.ts';
import type { QuizService } from './rounds.ts';

/** Who asks for a round, as a command or a button press knows them. */
export interface RoundAsker {
  quiz: QuizService;
  channelKey: string;
  lang: Lang;
  incoming: { who: { userId: string }; where: { thread?: string } };
}

/**
 * Starts a round for the member who asked (`/orch quiz`, or a lesson's "quiz me on this"), and acknowledges it
 * privately; the round itself is posted to the channel, or its thread.
 */
export async function startRound(
  asker: RoundAsker,
  topic: QuizTopic,
  count: number,
  seconds: number,
  /** The posted message the round was asked for on (a lesson's "quiz me"): its thread holds the round. */
  messageId?: string,
): Promise<{ round: QuizRound; replies: Reply[] }> {
  // Asked inside a thread, the round runs in that thread; asked on a message, in the message's thread.
  const anchorId = asker.incoming.where.thread ?? messageId;
  const round = await asker.quiz.start({
    ...(anchorId ? { anchorId } : {}),
    channelKey: asker.channelKey,
    userId: asker.incoming.who.userId,
    lang: asker.lang,
    topic,
    count,
    seconds,
  });
  return { round, replies: [privateText(t(asker.lang, 'quiz.started'))] };
}
