import { createRequire, Module } from 'node:module';

// Bolt's App.js requires its SocketModeReceiver unconditionally, and that file requires @slack/socket-mode at load,
// which brings its own undici 7 (about 110 modules): 8-10 MB of idle memory (RSS) and 2.6 MB of heap in a server
// that runs Slack in HTTP mode and never opens a socket (measured with `npm run bench -- footprint`). Bolt has no
// narrower entry point (its package has no "exports"; App.js itself is what loads the receiver).
//
// So, before the server first loads Bolt (socket-mode-on-first-use.ts, imported first by platform.ts), the module
// cache entry for @slack/socket-mode (the path Bolt's own require resolves to) is filled with a stand-in whose exports
// are a proxy: the first time anything reads from it (Bolt's SocketModeReceiver constructing a SocketModeClient, which
// a Socket Mode app does as it is built), the real package is required and every read goes to it from then on. Filling
// require.cache is what Node documents for it ("adding or replacing entries is also possible"). In HTTP mode nothing
// ever reads from it. If Bolt one day reads from the package at load time, the real package loads then, and only the
// saving is lost.

const require = createRequire(import.meta.url);

/**
 * Makes @slack/socket-mode load on first use instead of when Bolt loads. True when the stand-in was put in place;
 * false when there was nothing to do (the package is already loaded, or cannot be found from Bolt).
 */
export function deferSocketModePackage(): boolean {
  let path: string;
  let fromBolt: NodeRequire;
  try {
    fromBolt = createRequire(require.resolve('@slack/bolt'));
    path = fromBolt.resolve('@slack/socket-mode');
  } catch {
    return false;
  }
  if (require.cache[path] !== undefined) return false;
  let real: Record<PropertyKey, unknown> | undefined;
  const load = (): Record<PropertyKey, unknown> => {
    if (real === undefined) {
      // Out of the cache first, or the require below would hand back the stand-in itself.
      if (require.cache[path] === standIn) delete require.cache[path];
      real = fromBolt('@slack/socket-mode') as Record<PropertyKey, unknown>;
    }
    return real;
  };
  const exports = new Proxy(
    {},
    {
      get: (_target, key) => load()[key],
      has: (_target, key) => key in load(),
      ownKeys: () => Reflect.ownKeys(load()),
      getOwnPropertyDescriptor: (_target, key) => {
        const descriptor = Reflect.getOwnPropertyDescriptor(load(), key);
        // A proxy may not report a property as non-configurable unless its target has it so.
        return descriptor === undefined ? undefined : { ...descriptor, configurable: true };
      },
    },
  );
  const standIn = new Module(path);
  standIn.filename = path;
  standIn.loaded = true;
  standIn.exports = exports;
  require.cache[path] = standIn;
  return true;
}
