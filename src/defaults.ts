// What the bot does when neither the environment (src/config.ts) nor the caller (createBot's options, a scheduler's)
// says otherwise: one value each, so the config, the bot and the scheduler cannot drift apart.
import type { Lang } from './i18n/messages.ts';

/** The answer language when neither a flag, the channel nor Hangul in the text decides: the group studies in Korean. */
export const DEFAULT_LANG: Lang = 'ko';

/** The zone of a schedule whose admin names none. */
export const DEFAULT_TIME_ZONE = 'Asia/Seoul';

/** How many hours late a lesson missed while the bot was down is still posted. */
export const DEFAULT_GRACE_HOURS = 6;

/** `DEFAULT_GRACE_HOURS` in milliseconds, as the scheduler counts. */
export const DEFAULT_GRACE_MS = DEFAULT_GRACE_HOURS * 3_600_000;
