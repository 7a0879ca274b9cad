// The container verbs together with the engine they open: scripts/build.mjs bundles this into
// one CommonJS file that the CLI's entry requires, so `strata run` loads two files, not thirty
// ES modules (resolving and linking those cost it ~25 ms).
export { main } from './containers.js';
export { openEngine } from '../engine/engine.js';
