// Imported for its effect, first thing by platform.ts (the server's way in), before anything loads Bolt: an HTTP-mode
// server then never loads @slack/socket-mode and its undici, and a Socket Mode one loads them when its app is built.
// See lazy-socket-mode.ts.
import { deferSocketModePackage } from './lazy-socket-mode.ts';

deferSocketModePackage();
