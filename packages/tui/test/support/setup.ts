// The vitest setup file of the TUI tests. Ink decides when it first loads whether it runs under
// CI, and then draws only the last frame. With `isolate: false` the test files of a worker share
// one Ink, so it is loaded here, before any test file, as runTui loads it: for a terminal. Every
// file then sees the same Ink, whichever file runs first and whatever CI says.
import { importInkForTerminal } from '../../src/app/ink-loader.js';

await importInkForTerminal();
