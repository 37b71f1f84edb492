/**
 * Where `environment-backend.ts` and `tui-backend.ts` import this from until they move to
 * `backend/`; the module itself is `run/run-groups.ts`. Delete this file with that move.
 */
export * from './run/run-groups.js';
