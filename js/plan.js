// The co-selling rule table and plan-size advice (docs/CO-SELLING.md). Ranking and the
// suggested plan are on Report; the plan message on Party.
import * as raw from './overlap_wasm.js';
import { wrap } from './facade.js';

/** @import { ShapeRule } from './types.js' */

/**
 * The rule table that gives each overlapping account its co-selling shape, from my role and the
 * partner's role at the account, after `rules` edits (`'customer×customer=joint-pursuit'`,
 * `'prospect×opportunity=source-to-source/partner'`): 16 cells, row by row.
 * @param {string[]} [rules]
 * @returns {ShapeRule[]}
 * @throws {SettingsError} for an unreadable edit
 */
export function shapeRules(rules = []) {
  return wrap(() => raw.shapeRules(rules));
}

/**
 * What to tell the user about a plan of `n` accounts: 8 to 15 is a plan; more is a vertical list.
 * @param {number} n
 * @returns {string[]}
 */
export function planWarnings(n) {
  return wrap(() => raw.planWarnings(n));
}
