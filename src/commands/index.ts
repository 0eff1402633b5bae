import { commandForVariant } from '../i18n/glossary.ts';
import { admin } from './admin.ts';
import { ask } from './ask.ts';
import { calendar } from './calendar.ts';
import { catchup } from './catchup.ts';
import { category } from './categories.ts';
import type { Command } from './command.ts';
import { compare } from './compare.ts';
import { digest } from './digest.ts';
import { group } from './group.ts';
import { help } from './help.ts';
import { lang } from './lang.ts';
import { leaderboard } from './leaderboard.ts';
import { lesson } from './lesson.ts';
import { link } from './link.ts';
import { me } from './me.ts';
import { pace } from './pace.ts';
import { pause } from './pause.ts';
import { progress } from './progress.ts';
import { quiz } from './quiz.ts';
import { review } from './review.ts';
import { roadmap } from './roadmap.ts';
import { schedule } from './schedule.ts';
import { search } from './search.ts';
import { settings } from './settings.ts';
import { tool } from './tool.ts';

/** Every command, in the order help and Discord registration list them. `ask` is the default for free text. */
export const COMMANDS: readonly Command[] = [
  ask,
  tool,
  category,
  compare,
  search,
  roadmap,
  lesson,
  progress,
  me,
  catchup,
  pause,
  digest,
  schedule,
  pace,
  group,
  link,
  calendar,
  lang,
  settings,
  quiz,
  leaderboard,
  review,
  help,
  admin,
];

export const DEFAULT_COMMAND = ask;

/** Finds the command a first word selects, by name or alias, case-insensitively. */
export function findCommand(word: string): Command | undefined {
  const w = word.toLowerCase();
  // A term the glossary rejected ("강의", "리더보드") is no longer printed anywhere but still understood.
  const name = commandForVariant(w) ?? w;
  return COMMANDS.find((c) => c.name === name || c.aliases.includes(w));
}

export {
  type Command,
  type CommandAnswer,
  type CommandContext,
  type CommandData,
  type CommandHelp,
  type CommandOption,
  HELP_GROUPS,
  type HelpGroup,
} from './command.ts';
