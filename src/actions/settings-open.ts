import { reachableChannelKey } from '../channel-key.ts';
import { settingsReply } from '../commands/settings-form.ts';
import { UserError } from '../errors.ts';
import { t } from '../i18n/messages.ts';
import { isAdminUser } from '../incoming.ts';
import { privateText } from '../reply/model.ts';
import { defineAction, PLATFORM_ID } from './action.ts';

/** A channel, as the personal view's settings button names it. */
export interface ChannelRef {
  space: string;
  channel: string;
}

const VALUE = new RegExp(`^(${PLATFORM_ID})/(${PLATFORM_ID})$`);

/**
 * The personal view's "Channel settings", offered to admins for each channel they study in: the settings form of the
 * channel the button names, opened where the press came from (Slack's Home tab, a Discord DM or channel). The form
 * carries that channel back in its state, so the submission changes it and no other (checked again on submit). Its
 * value is `space/channel`.
 */
export const settingsOpen = defineAction<ChannelRef>({
  id: 'settings.open',
  personal: true,
  encode: ({ space, channel }) => `${space}/${channel}`,
  decode(value) {
    const [, space, channel] = VALUE.exec(value) ?? [];
    return space && channel ? { space, channel } : null;
  },
  async run(ctx, { space, channel }) {
    const channelKey = reachableChannelKey(ctx.incoming.where, space, channel);
    if (!channelKey) return [privateText(t(ctx.lang, 'error.unknownChoice'))];
    // The button is shown to admins only, but a button can be pressed by anyone who has the message.
    if (!(await isAdminUser(ctx.incoming.who)))
      throw new UserError('error.adminOnly', { what: t(ctx.lang, 'settings.what'), command: 'schedule' });
    const settings = await ctx.store.getChannel(channelKey);
    return [await settingsReply({ ...ctx, channelKey, channel: settings }, { space, channel })];
  },
});
