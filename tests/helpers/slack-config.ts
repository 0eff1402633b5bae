import type { SlackConfig } from '../../src/index.ts';

/** A Slack app in Socket Mode against a fake's Web API: what the adapter tests that build one directly start from. */
export function socketModeConfig(apiUrl: string): SlackConfig {
  return {
    botToken: 'xoxb-test',
    signingSecret: 'secret',
    mode: 'socket',
    appToken: 'xapp-test',
    port: 0,
    apiUrl,
    adminUsers: [],
  };
}
