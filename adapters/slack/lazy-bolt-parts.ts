import { createRequire, Module } from 'node:module';

// Bolt loads three things at start that a server in HTTP mode with one bot token never uses:
// - @slack/socket-mode, with its own undici 7 (about 110 modules): App.js requires its SocketModeReceiver
//   unconditionally, and that file requires the package at load;
// - @slack/oauth, with jsonwebtoken, semver and lodash helpers (about 150 modules): the receivers require it at load,
//   and construct its InstallProvider only when an app is given OAuth settings (orch never is);
// - its ExpressReceiver, with express (about 130 modules): Bolt's index requires it and reads its class at load, only
//   to re-export it.
// Together they were about 60% of Bolt's modules, 12 MB of idle memory (RSS) and 60-130 ms of every start
// (measured with `npm run bench -- footprint` and a bare `require('@slack/bolt')`). Bolt has no narrower entry point
// (its package has no "exports"; App.js and the index are what load them).
//
// So, before the server first loads Bolt (bolt-parts-on-first-use.ts, imported first by platform.ts), the module
// cache entry of each (the path Bolt's own require resolves to) is filled with a stand-in whose exports are a proxy:
// the first time anything reads from it (a Socket Mode app being built, an app given OAuth settings, someone using
// ExpressReceiver), the real module is required and every read goes to it from then on. Filling require.cache is what
// Node documents for it ("adding or replacing entries is also possible"). In HTTP mode nothing ever reads from them. If
// Bolt one day reads from one of them at load time, the real module loads then, and only the saving is lost.

const require = createRequire(import.meta.url);

/** A part of Bolt to defer: a package or a file, as Bolt's own code requires it. */
interface DeferredPart {
  /** As resolved from Bolt's index (dist/index.js): a package name or a path relative to dist/. */
  request: string;
  /**
   * The module is TypeScript's CommonJS output whose `default` export is a class, read at load by the requirer
   * (Bolt's index does `exports.ExpressReceiver = ExpressReceiver_1.default`): `__esModule` is answered without
   * loading, and `default` is a stand-in class that loads the real one when it is constructed or looked into.
   */
  defaultClass?: boolean;
}

const PARTS: readonly DeferredPart[] = [
  { request: '@slack/socket-mode' },
  { request: '@slack/oauth' },
  { request: './receivers/ExpressReceiver', defaultClass: true },
];

/**
 * Makes Bolt's unused parts load on first use instead of when Bolt loads. Returns the requests put behind a stand-in:
 * none when Bolt cannot be found, or when each is already loaded (Bolt was loaded before).
 */
export function deferBoltParts(): string[] {
  let fromBolt: NodeJS.Require;
  try {
    fromBolt = createRequire(require.resolve('@slack/bolt'));
  } catch {
    return [];
  }
  return PARTS.filter((part) => deferPart(fromBolt, part)).map((part) => part.request);
}

function deferPart(fromBolt: NodeJS.Require, part: DeferredPart): boolean {
  let path: string;
  try {
    path = fromBolt.resolve(part.request);
  } catch {
    return false;
  }
  if (require.cache[path] !== undefined) return false;
  let real: Record<PropertyKey, unknown> | undefined;
  const load = (): Record<PropertyKey, unknown> => {
    if (real === undefined) {
      // Out of the cache first, or the require below would hand back the stand-in itself.
      if (require.cache[path] === standIn) delete require.cache[path];
      real = fromBolt(path) as Record<PropertyKey, unknown>;
    }
    return real;
  };
  const defaultClass = part.defaultClass
    ? lazyClass(() => load().default as new (...args: unknown[]) => object)
    : null;
  const exports = new Proxy(
    {},
    {
      get: (_target, key) => {
        if (defaultClass && key === '__esModule') return true;
        if (defaultClass && key === 'default') return defaultClass;
        return load()[key];
      },
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

/**
 * A class that stands for `real()` until it is used: `new` builds the real class's instance, and reading any property
 * (its prototype for `instanceof`, a static) reads the real class's.
 */
function lazyClass(real: () => new (...args: unknown[]) => object): new (...args: unknown[]) => object {
  // A plain function as the target: constructible, and its `prototype` is writable, so the proxy may report another.
  const target = function DeferredClass() {} as unknown as new (...args: unknown[]) => object;
  const standIn: new (...args: unknown[]) => object = new Proxy(target, {
    construct: (_target, args, newTarget) =>
      Reflect.construct(real(), args, newTarget === standIn ? real() : newTarget),
    get: (_target, key) => Reflect.get(real(), key),
    has: (_target, key) => key in real(),
    getPrototypeOf: () => Reflect.getPrototypeOf(real()),
  });
  return standIn;
}
