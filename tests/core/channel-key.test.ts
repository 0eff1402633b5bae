import { describe, expect, it } from 'vitest';
import {
  formatChannelKey,
  parseChannelKey,
  platformChannelOf,
  platformOf,
  userKeyOf,
} from '../../src/channel-key.ts';

describe('channel keys', () => {
  const where = { platform: 'discord', space: '1100', channel: '2200' };

  it('reads back the parts it wrote', () => {
    const key = formatChannelKey(where);
    expect(key).toBe('discord:1100:2200');
    expect(parseChannelKey(key)).toEqual(where);
    expect(platformOf(key)).toBe('discord');
  });

  it('refuses what it never writes: too few or too many parts, or an empty one', () => {
    for (const key of ['', 'slack', 'slack:T1', 'slack:T1:C1:x', 'slack::C1', ':T1:C1', 'slack:T1:'])
      expect(parseChannelKey(key), key).toBeNull();
  });

  it("gives a platform its own channel id and throws on another platform's key", () => {
    expect(platformChannelOf('slack:T1:C1', 'slack')).toBe('C1');
    expect(() => platformChannelOf('discord:1:2', 'slack')).toThrow('not a slack channel key: discord:1:2');
    expect(() => platformChannelOf('slack:T1', 'slack')).toThrow('not a slack channel key');
  });

  it('keys a member by workspace, so their cards follow them across its channels', () => {
    expect(userKeyOf('slack:T1:C1', 'U9')).toBe('slack:T1:U9');
    expect(userKeyOf('slack:T1:C2', 'U9')).toBe(userKeyOf('slack:T1:C1', 'U9'));
    expect(() => userKeyOf('nonsense', 'U9')).toThrow('not a channel key');
  });
});
