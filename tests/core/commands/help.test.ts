import { describe, expect, it } from 'vitest';
import { toPlainText } from '../../../src/index.ts';
import { ask } from '../../helpers/catalog.ts';

describe('/orch help', () => {
  it('shows examples privately in English', async () => {
    const [reply] = await ask('help --lang en');
    expect(reply?.visibility).toBe('private');
    const text = toPlainText(reply ?? { visibility: 'channel', blocks: [] });
    expect(text).toContain('/orch istio vs linkerd');
    expect(text).toContain('--lang');
  });

  it('shows Korean examples for 도움말', async () => {
    const [reply] = await ask('도움말');
    expect(toPlainText(reply ?? { visibility: 'channel', blocks: [] })).toContain('/orch 이스티오');
  });
});
