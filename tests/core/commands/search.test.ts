import { describe, expect, it } from 'vitest';
import { toPlainText } from '../../../src/index.ts';
import { ask } from '../../helpers/catalog.ts';

describe('/orch search', () => {
  it('ranks tools by what they do', async () => {
    const [reply] = await ask('search distributed key value store --lang en');
    expect(reply?.meta?.intent).toBe('search');
    expect(reply?.meta?.toolIds[0]).toBe('etcd');
    expect(toPlainText(reply ?? { visibility: 'channel', blocks: [] })).toContain('1. etcd');
  });

  it('says not found for words no tool is about', async () => {
    const [reply] = await ask('search chocolate cake');
    expect(reply?.meta).toMatchObject({ intent: 'not_found', toolIds: [] });
  });
});
