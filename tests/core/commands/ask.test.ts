import { describe, expect, it } from 'vitest';
import { toPlainText } from '../../../src/index.ts';
import { ask } from '../../helpers/catalog.ts';

describe('asking without a command word', () => {
  it('answers a tool question with its card and meta', async () => {
    const [reply] = await ask('/orch isito');
    expect(reply?.meta).toMatchObject({ intent: 'tool', toolIds: ['istio'], categoryId: null });
  });

  it('answers a category question with its list', async () => {
    const [reply] = await ask('서비스 메시');
    expect(reply?.meta).toMatchObject({ intent: 'category', categoryId: 'service-mesh' });
    expect(toPlainText(reply ?? { visibility: 'channel', blocks: [] })).toContain('Linkerd');
  });

  it('answers nonsense privately with how to ask', async () => {
    const [reply] = await ask('pizza recipe --lang en');
    expect(reply?.visibility).toBe('private');
    expect(toPlainText(reply ?? { visibility: 'channel', blocks: [] })).toContain(
      'Nothing found for "pizza recipe"',
    );
  });
});
