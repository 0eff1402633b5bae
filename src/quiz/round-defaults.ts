import { type ChannelSettings, isPostedLesson, type Store } from '../store/store.ts';

/** A round's size when neither the command nor the channel's settings say. */
export const DEFAULT_COUNT = 5;
export const DEFAULT_SECONDS = 30;

/** The channel's quiz defaults (set in its settings), else the bot's. */
export function quizDefaults(channel: { quizCount: number | null; quizSeconds: number | null } | null): {
  count: number;
  seconds: number;
} {
  return { count: channel?.quizCount ?? DEFAULT_COUNT, seconds: channel?.quizSeconds ?? DEFAULT_SECONDS };
}

/** The lesson "today" means for a quiz: the channel's latest posted lesson, else the one before its next. */
export async function todaysLesson(
  store: Pick<Store, 'ledger'>,
  channelKey: string,
  channel: Pick<ChannelSettings, 'position'> | null,
): Promise<number> {
  const posted = (await store.ledger(channelKey, 20)).find(isPostedLesson);
  if (posted) return posted.lesson;
  return Math.max(1, (channel?.position ?? 1) - 1);
}
