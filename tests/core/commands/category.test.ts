import { describe, expect, it } from 'vitest';
import { toPlainText } from '../../../src/index.ts';
import { ask } from '../../helpers/catalog.ts';

describe('/orch category', () => {
  it('lists every category with its tools when given no name', async () => {
    const [reply] = await ask('category --lang en');
    const text = toPlainText(reply ?? { visibility: 'channel', blocks: [] });
    for (const id of ['api-gateway', 'service-mesh', 'local-development', 'cluster-management'])
      expect(text).toContain(id);
    expect(text).toContain('Istio, Linkerd');
  });

  it('lists one category in Korean', async () => {
    const [reply] = await ask('카테고리 서비스 프록시');
    expect(reply?.meta).toMatchObject({ intent: 'category', categoryId: 'service-proxy', lang: 'ko' });
    expect(toPlainText(reply ?? { visibility: 'channel', blocks: [] })).toContain('Envoy');
  });

  it('says not found for a tool name', async () => {
    const [reply] = await ask('category istio');
    expect(reply?.meta?.intent).toBe('not_found');
  });
});
