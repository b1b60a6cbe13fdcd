// A partner's result: the populations × populations matrix, my overlapping rows as the core
// describes them, and the CSV exports.
import * as raw from './overlap_wasm.js';
import { csvFor, wrap } from './facade.js';

/** @import { Dataset } from './dataset.js' */
/** @import { CsvOptions, PlanEntry, PlanOptions, Population, RankedAccount, ReportRow, Sharing, SuggestedPlan } from './types.js' */

/**
 * One partner's result: the populations × populations matrix, my overlapping rows with the
 * partner's populations, what they matched on and how confident, and a CSV export for the CRM.
 */
export class Report {
  /**
   * @internal
   * @param {raw.Report} inner
   * @param {Dataset} dataset
   */
  constructor(inner, dataset) {
    /** @internal */
    this.raw = inner;
    /** @internal */
    this.dataset = dataset;
    const s = inner.summary();
    /** My populations with their sizes (elements). @readonly @type {Population[]} */
    this.myPopulations = s.myPopulations;
    /** The partner's populations with the sizes it announced. @readonly @type {Population[]} */
    this.partnerPopulations = s.partnerPopulations;
    /** `matrix[i][j]`: overlaps of my population `i` with the partner's population `j`. @readonly @type {number[][]} */
    this.matrix = s.matrix;
    /** What the matrix cells count: `rows` (my rows) or `elements` (the partner shares counts only). @readonly @type {'rows' | 'elements'} */
    this.unit = s.unit;
    /** Rows in my file. @readonly @type {number} */
    this.myRows = s.myRows;
    /** Distinct keys I sent. @readonly @type {number} */
    this.myElements = s.myElements;
    /** Distinct keys the partner sent. @readonly @type {number} */
    this.partnerSetSize = s.partnerSetSize;
    /** Distinct keys in the intersection. @readonly @type {number} */
    this.matchedElements = s.matchedElements;
    /** My overlapping rows (0 when the partner shares counts only). @readonly @type {number} */
    this.matchedRows = s.matchedRows;
    /** What I share (private protocol; absent in quick mode). @readonly @type {Sharing | undefined} */
    this.mySharing = s.mySharing;
    /** What the partner shares (private protocol; absent in quick mode). @readonly @type {Sharing | undefined} */
    this.partnerSharing = s.partnerSharing;
    /** Columns the partner shared for overlapping accounts. @readonly @type {string[]} */
    this.partnerFields = s.partnerFields;
    /** Things to know, e.g. an implausibly large partner set. @readonly @type {string[]} */
    this.warnings = s.warnings;
    /** The session code to compare with the partner by phone (private protocol). @readonly @type {string | undefined} */
    this.sessionCode = s.sessionCode;
  }

  /**
   * My overlapping rows (none when the partner shares counts only): each row's cells, my and
   * the partner's populations, what it matched on, how confident that is, and the partner's
   * shared values (fields level). Read in one call.
   * @returns {ReportRow[]}
   */
  rows() {
    return wrap(() => this.raw.rows(this.dataset.raw));
  }

  /**
   * The rows of my file that cell `matrix[mine][partner]` counts: my population `mine` × the
   * partner's population `partner` (none when the partner shares counts only).
   * @param {number} mine index into {@link Report#myPopulations}
   * @param {number} partner index into {@link Report#partnerPopulations}
   * @returns {number[]} 0-based data rows, as in {@link ReportRow}'s `row`
   * @throws {OverlapError} `range` when the matrix has no such cell
   */
  cellRows(mine, partner) {
    return Array.from(wrap(() => this.raw.cellRows(mine, partner)));
  }

  /**
   * My overlapping rows as CSV bytes: my columns plus the partner's populations, what matched,
   * the confidence and the partner's shared columns. By default for Excel (UTF-8 with a BOM; every
   * cell that starts like a formula, `=` `+` `-` `@` also after spaces or full-width, prefixed
   * with `'`); `{ for: 'crm' }` for a CRM import (no BOM; phone numbers and signed numbers such as
   * `+46 70 123 45 67` or `-12.5` left as they are, formulas still prefixed).
   * @param {CsvOptions} [options]
   * @returns {Uint8Array}
   * @throws {SettingsError} for an unknown `for`
   */
  toCsv(options) {
    return wrap(() => this.raw.toCsv(this.dataset.raw, csvFor(options)));
  }
  /**
   * The matrix as CSV bytes: my populations as rows, the partner's as columns (population names
   * guarded as in {@link Report#toCsv}).
   * @param {CsvOptions} [options]
   * @returns {Uint8Array}
   * @throws {SettingsError} for an unknown `for`
   */
  matrixCsv(options) {
    return wrap(() => this.raw.matrixCsv(csvFor(options)));
  }

  /**
   * Every overlapping account ranked by joint potential, best first, with its co-selling shape,
   * who leads, the score and the reasons for it (docs/CO-SELLING.md). Empty when the partner
   * shared counts only.
   * @param {PlanOptions} [options] rule-table edits and the day recency counts from
   * @returns {RankedAccount[]}
   * @throws {SettingsError} for an unreadable rule or date
   */
  rank(options = {}) {
    return wrap(() => this.raw.rank(this.dataset.raw, planOptions(options)));
  }

  /**
   * The suggested joint plan: the `size` (default 12) best co-selling deals matched with high
   * confidence, each with its shape's default lead, support and close; warnings when the plan is
   * outside 8 to 15 accounts.
   * @param {PlanOptions} [options]
   * @returns {SuggestedPlan}
   * @throws {SettingsError} for unreadable options
   */
  suggestPlan(options = {}) {
    return wrap(() => this.raw.suggestPlan(this.dataset.raw, planOptions(options)));
  }

  /**
   * A plan as CSV bytes: account, website, shape, lead, support, closes, both owners, the next
   * step with its owner and date, forecast date, notes, score and why; for Excel by default, or
   * `{ for: 'crm' }` (cells guarded as in {@link Report#toCsv}).
   * @param {PlanEntry[]} entries
   * @param {PlanOptions & CsvOptions} [options]
   * @returns {Uint8Array}
   * @throws {SettingsError} for an unreadable entry or option
   */
  planCsv(entries, options = {}) {
    return wrap(() => this.raw.planCsv(this.dataset.raw, entries, { ...planOptions(options), flavour: csvFor(options) }));
  }
}

/**
 * The plan options the facade reads.
 * @param {PlanOptions} o
 */
function planOptions(o) {
  const { rules, today, size, likely } = o ?? {};
  return { rules, today, size, likely };
}
