'use strict';
// What `require('@multidb/tui/screens')` loads (package.json's "require" condition of ./screens).
// The screens import Ink, whose layout engine (yoga-layout) loads its WebAssembly with a top-level
// await: Node cannot require() that module graph, so this says what to do instead of failing with
// ERR_REQUIRE_ASYNC_MODULE (Node 20.19+, 22.12+) or ERR_REQUIRE_ESM (older Node).
// `require('@multidb/tui')` works on Node 20.19+ and 22.12+; `runTui` loads the screens itself.

/** Thrown by `require()` of an entry that is an ES module with top-level await. */
class RequireAsyncModuleError extends Error {
  /** @param {string} specifier - the entry required, e.g. `@multidb/tui/screens`. */
  constructor(specifier) {
    super(
      `${specifier} is an ES module with top-level await; use \`await import('${specifier}')\` from CommonJS ` +
        "(it imports Ink, whose layout engine loads its WebAssembly with a top-level await). " +
        "require('@multidb/tui') works on Node 20.19+ and 22.12+, and its runTui loads the screens itself.",
    );
    this.name = 'RequireAsyncModuleError';
    /** Node's own code for a require() of a module graph with top-level await. */
    this.code = 'ERR_REQUIRE_ASYNC_MODULE';
    /** The entry that was required. */
    this.specifier = specifier;
  }
}

throw new RequireAsyncModuleError('@multidb/tui/screens');
