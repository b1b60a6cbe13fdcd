// The package's API, gathered from its modules: shared by the browser entry (index.js) and the
// Node entry (node.js), which differ only in how they find and compile the .wasm and how the
// pool starts its workers.
//
//   normalize.js   the values overlap keys        dataset.js   reading an export, preview
//   party.js       the private protocol           report.js    a partner's result
//   quick.js       quick mode                     types.js     the types (JSDoc)
//   plan.js        co-selling rule table, plan-size advice
//   errors.js      error classes with codes       facade.js    calling the wasm facade (internal)
//
// Memory: every object holding wasm memory is freed by the platform's FinalizationRegistry when
// it is garbage-collected; call `free()` only to release a large dataset early.
// Privacy: nothing here logs, and no error message quotes a key, a scalar or a cell value.
export * from './types.js';
export { normalize, normalizeBatch, nameKey, normalizationVersion } from './normalize.js';
export { Dataset, preview, previewBytes } from './dataset.js';
export { Party } from './party.js';
export { Report } from './report.js';
export { shapeRules, planWarnings } from './plan.js';
export { checkSecret, suggestSecret, quickStart, quickAnswer, quickFinish } from './quick.js';
export {
  DatasetMismatchError,
  IngestError,
  MessageError,
  NormalizeError,
  OverlapError,
  PoolError,
  SecretError,
  SettingsError,
  StateError,
  UnsafeError,
} from './errors.js';
