import { describe, expect, it } from 'vitest';
import { toPlainText } from '../../../src/index.ts';
import { ask } from '../../helpers/catalog.ts';

describe('/orch tool', () => {
  it('shows the full card of a curated tool in English', async () => {
    const [reply] = await ask('tool istio --lang en');
    const text = toPlainText(reply ?? { visibility: 'channel', blocks: [] });
    expect(reply?.visibility).toBe('channel');
    for (const part of [
      '== Istio ==',
      'Service Mesh',
      'Graduated',
      'Key concepts',
      'Typical use cases',
      'When to pick it',
      'First hands-on step',
      'https://istio.io',
    ]) {
      expect(text).toContain(part);
    }
  });

  it('shows the card in Korean', async () => {
    const [reply] = await ask('tool 이스티오');
    const text = toPlainText(reply ?? { visibility: 'channel', blocks: [] });
    for (const part of ['서비스 메시', '졸업', '핵심 개념', '첫 실습']) expect(text).toContain(part);
  });

  it('says not found, with suggestions, for a category name', async () => {
    const [reply] = await ask('tool service mesh --lang en');
    expect(reply?.meta).toMatchObject({ intent: 'not_found' });
    expect(reply?.meta?.suggestions).toEqual(expect.arrayContaining(['istio']));
  });
});
