#!/usr/bin/env node
// `npm run discord:register`: puts /orch on one guild or globally, from dist/ when it is current, else the sources.
import { importAdapter } from '../compiled-or-sources.mjs';

const { register } = await importAdapter('discord/main');
const code = await register(process.env);
if (code !== 0) process.exit(code);
