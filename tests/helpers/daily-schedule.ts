import { nextFireAfter } from '../../src/lessons/cron-fires.ts';

/**
 * The settings of a channel with lessons daily at 09:00 in Seoul, posted in the channel (threads off), its next fire
 * the first 09:00 after `start`: the schedule the pacing and group suites run their days on.
 */
export function dailyAtNineInSeoul(start: number) {
  return {
    cron: '0 9 * * *',
    timeZone: 'Asia/Seoul',
    scheduleText: 'daily 09:00',
    threads: false,
    nextFireAt: nextFireAfter('0 9 * * *', 'Asia/Seoul', start),
  };
}
