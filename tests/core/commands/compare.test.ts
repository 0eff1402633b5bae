import { describe, expect, it } from 'vitest';
import { toPlainText } from '../../../src/index.ts';
import { ask } from '../../helpers/catalog.ts';

describe('/orch compare', () => {
  it('puts two tools side by side with when to pick each', async () => {
    const [reply] = await ask('compare istio linkerd --lang en');
    expect(reply?.meta).toMatchObject({ intent: 'compare', toolIds: ['istio', 'linkerd'] });
    const text = toPlainText(reply ?? { visibility: 'channel', blocks: [] });
    expect(text).toContain('Compare: Istio vs Linkerd');
    expect(text.match(/When to pick it/g)).toHaveLength(2);
  });

  it('understands Korean names', async () => {
    const [reply] = await ask('비교 엔보이 컨투어');
    expect(reply?.meta).toMatchObject({ intent: 'compare', toolIds: ['envoy', 'contour'], lang: 'ko' });
  });

  it('says not found when fewer than two tools are named', async () => {
    const [reply] = await ask('compare istio pizza');
    expect(reply?.meta?.intent).toBe('not_found');
  });
});
