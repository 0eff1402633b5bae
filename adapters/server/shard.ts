// One Discord shard's process, started by the server's ShardingManager (DISCORD_SHARDS above 1). discord.js tells
// the client which shard it is through SHARDS and SHARD_COUNT; everything else is the server's configuration.
import { main } from './main.ts';
import { collectStartupGarbage } from './startup-garbage.ts';

const code = await main(process.env);
if (code !== 0) process.exit(code);
collectStartupGarbage();
