// The package's types, as JSDoc: declarations (types.d.ts) are generated from them. Nothing here
// runs.

/** @import { Party } from './party.js' */
/** @import { Pool } from './pool.js' */

/**
 * Where to load the `.wasm` from: a compiled module, its bytes, a URL, or a `fetch` response.
 * @typedef {WebAssembly.Module | Bytes | URL | string | Response | Promise<Response>} WasmSource
 */
/**
 * Options of `init()`.
 * @typedef {object} InitOptions
 * @property {WasmSource} [wasm] where to load the `.wasm` from; by default the file next to this
 *   module (bundlers emit it as an asset; Node reads it from disk)
 */
/** Bytes in any of the usual wrappers. @typedef {ArrayBuffer | ArrayBufferView} Bytes */
/**
 * What {@link checkSecret} says of a typed secret.
 * @typedef {object} SecretCheck
 * @property {boolean} ok whether quick mode accepts it
 * @property {number} bits estimated strength, rounded down
 * @property {number} minBits the least accepted (50)
 * @property {number} minLength the fewest characters accepted (12)
 * @property {SecretWeakness[]} weaknesses what the estimate found
 * @property {string} [code] when refused: `secret/too_short`, `secret/too_long`, `secret/weak`
 * @property {string} [message] when refused: why, for people
 */
/** A kind of weakness in a typed secret. @typedef {'common_password' | 'few_words' | 'keyboard_run' | 'sequence' | 'repeat' | 'year' | 'few_kinds'} SecretWeakness */
/** The kinds of value overlap normalizes. @typedef {'domain' | 'email' | 'name' | 'country' | 'duns' | 'linkedin' | 'city' | 'region' | 'postal'} KeyKindName */
/** What a partner shares: the matrix only, also which rows overlap, also chosen columns. @typedef {'counts' | 'overlaps' | 'fields'} Sharing */
/** Where a session is: the message a party waits for next, or `done`. @typedef {'awaitReply' | 'awaitConfirm' | 'awaitFields' | 'done'} Step */
/**
 * How to read an export. Every setting has a default that suits a plain CRM export.
 * @typedef {object} DatasetOptions
 * @property {',' | ';' | '\t' | '|' | 'comma' | 'semicolon' | 'tab' | 'pipe'} [delimiter] default: sniffed
 * @property {'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'windows-1252'} [encoding] default: detected
 * @property {boolean} [header] whether the first row is a header; default: yes, unless it looks like data
 * @property {Partial<Record<FieldName, string | string[]>>} [columns] header names (or `#N`, 1-based)
 *   to use instead of the detected columns, e.g. `{ website: 'Website URL', email: ['E1', 'E2'] }`;
 *   an empty name turns a field off
 * @property {PopulationRule[]} [populations] rules putting rows in populations; default: Customers,
 *   Open Opportunities, Prospects and Other from the type/stage column
 * @property {'paired' | 'always' | 'fallback' | 'never'} [nameKeys] when a row gets a `name:` key
 *   (company name and country); default `paired`: every named row, but two names match only when
 *   one of the two rows has no other key; `fallback`: only rows without another key
 * @property {number} [maxRows] refuse files with more rows (default 50,000,000)
 * @property {number} [maxBytes] refuse larger files (default 4 GiB)
 * @property {number} [sizeHint] the file's size in bytes, if known, to size tables once
 */
/** A column overlap can use. @typedef {'website' | 'domain' | 'email' | 'name' | 'country' | 'duns' | 'linkedin' | 'population' | 'city' | 'region' | 'postal' | 'owner' | 'amount' | 'revenue' | 'deal-stage' | 'last-activity'} FieldName */
/**
 * A population rule: rows whose `column` holds one of `values`, rows whose `column` holds an open
 * deal stage (`open`: filled, not closed won or lost), every row (`all`), or the rows no earlier
 * rule took (`rest`). `role` says what the population means in my CRM (customer, opportunity,
 * prospect, other); without it the role is guessed from the name. The partner learns each
 * population's name and role, never its rule.
 * @typedef {({name: string, column: string, values: string[]} | {name: string, column: string, open: true} | {name: string, all: true} | {name: string, rest: true}) & {role?: PopulationRole}} PopulationRule
 */
/** What a population means in its owner's CRM. @typedef {'customer' | 'opportunity' | 'prospect' | 'other'} PopulationRole */
/**
 * A column chosen for a field.
 * @typedef {object} ColumnChoice
 * @property {FieldName} field
 * @property {number} column 0-based
 * @property {string} header
 * @property {number} confidence 0 to 1
 * @property {'override' | 'header' | 'values' | 'header and values'} basis why it was chosen
 */
/**
 * The distinct values of a column with their row counts.
 * @typedef {object} ColumnValues
 * @property {number} column 0-based
 * @property {string} header
 * @property {{value: string, rows: number}[]} values most frequent first
 * @property {number} more distinct values left out
 */
/**
 * What {@link preview} shows of a file.
 * @typedef {object} Preview
 * @property {string} encoding
 * @property {string} delimiter
 * @property {boolean} hasHeader
 * @property {string[]} headers
 * @property {string[][]} rows the first rows' cells
 * @property {ColumnChoice[]} mapping
 * @property {string[]} notes about the mapping
 * @property {ColumnValues[]} populationColumns columns that could define populations
 * @property {PopulationRule[]} rules the population rules that would apply
 */
/**
 * What reading a file found.
 * @typedef {object} DatasetSummary
 * @property {number} rows
 * @property {number} usableRows rows that give at least one key
 * @property {number} badRows
 * @property {number} outsidePopulations rows in no population
 * @property {number} duplicatesFolded
 * @property {number} warnings
 * @property {number} elements distinct keys
 * @property {Record<'domain' | 'duns' | 'linkedin' | 'name', number>} elementsByKind
 * @property {string} encoding
 * @property {string} delimiter
 * @property {number} replacedCharacters bytes that were not valid text
 * @property {ColumnChoice[]} mapping
 * @property {string[]} notes
 * @property {'paired' | 'always' | 'fallback' | 'never'} nameKeys
 * @property {{name: string, role: PopulationRole, rows: number, elements: number}[]} populations
 */
/**
 * How a CSV export is written.
 * @typedef {object} CsvOptions
 * @property {'excel' | 'crm'} [for] `excel` (default): UTF-8 with a byte-order mark, every cell
 *   that a spreadsheet could run as a formula prefixed with `'`; `crm`: for a CRM import, no
 *   byte-order mark, and cells that are entirely a phone number or a signed number left as they
 *   are (formulas still prefixed). The exact rule is in the README.
 */
/** A row for `Dataset.fromRows`: cells in header order, or an object keyed by header. @typedef {unknown[] | Record<string, unknown>} RowInput */
/**
 * A notice about a row.
 * @typedef {object} RowIssue
 * @property {number} line 1-based line in the file where the row starts
 * @property {number} row 0-based data row
 * @property {'no_key' | 'empty' | 'unreadable' | 'outside_populations' | 'duplicate' | 'warning'} kind
 * @property {string} reason why (names columns, never quotes a cell)
 */
/**
 * How far a long operation is.
 * @typedef {object} Progress
 * @property {number} done units done (curve operations for protocol steps, bytes for streams)
 * @property {number | undefined} total units in all, when known
 */
/**
 * How far reading a stream is: `done` and `bytes` are the bytes read so far.
 * @typedef {Progress & {bytes: number, rows: number}} StreamProgress
 */
/**
 * How to run a step's curve work.
 * @typedef {object} StepOptions
 * @property {Pool} [pool] a worker pool (`createPool()`; `createPool({ size: 0 })`
 *   runs the pieces on this thread, one task each); without one the work runs on this thread in
 *   one call (blocking it: use a pool or a worker for large lists in a page)
 * @property {AbortSignal} [signal] cancels the step (between pieces with a pool, else only before it)
 * @property {(p: Progress) => void} [onProgress] called as the curve work advances
 */
/**
 * What I share, the guards against a dishonest partner, and how to run the curve work.
 * @typedef {StepOptions & {
 *   sharing?: Sharing,
 *   fields?: string[],
 *   maxPartnerSet?: number,
 *   minPopulation?: number,
 *   maxPopulations?: number,
 * }} PartyOptions
 *   `sharing` (default `counts`, the most private): `counts` (the matrix only), `overlaps` (which of the partner's
 *   rows overlap, with my populations), `fields` (also the `fields` columns of overlapping rows).
 *   `maxPartnerSet` (default 5,000,000): refuse larger partner sets. Sharing counts:
 *   `maxPopulations` (default 8) populations at most, `minPopulation` (default 5) elements at least
 *   in each of the partner's populations.
 */
/**
 * What a protocol step gives.
 * @typedef {object} StepOutcome
 * @property {Party} party the party after this step
 * @property {Uint8Array | undefined} message the message to send to the partner (none after the last step)
 */
/**
 * A population (Customers, Open Opportunities, …), its size and its role.
 * @typedef {object} Population
 * @property {string} name
 * @property {number} size elements in the population
 * @property {PopulationRole} role what it means in its owner's CRM
 */
/**
 * One of my overlapping rows.
 * @typedef {object} ReportRow
 * @property {number} row 0-based data row in my file
 * @property {string[]} cells the row's original cells
 * @property {string[]} myPopulations my populations the row is in
 * @property {string[]} partnerPopulations the partner's populations the account is in
 * @property {Array<'domain' | 'duns' | 'linkedin' | 'name' | 'name+city'>} matchedOn the kinds of keys that matched
 *   (`name+city`: a name whose rows' cities agree)
 * @property {'high' | 'likely' | 'possible'} confidence `high` when a domain or an identifier matched, `likely` when only
 *   a name did and both rows' cities agree, `possible` when only a name did (one row has no city)
 * @property {string[][]} partnerValues the partner's shared columns, one array per partner row (fields level)
 * @property {string[]} partnerCells the partner's shared columns as {@link Report#toCsv} writes them: one
 *   cell per name in `partnerFields`, the values of the partner's rows joined with ` | `
 */

/** A co-selling shape (docs/CO-SELLING.md). @typedef {'joint-pursuit' | 'customer-expansion' | 'source-to-source' | 'shared-customer' | 'shared-target' | 'unclassified'} Shape */
/** A side of the partnership, seen from whoever holds the value. @typedef {'us' | 'partner' | 'both'} Side */
/**
 * Options of the co-selling plan.
 * @typedef {object} PlanOptions
 * @property {string[]} [rules] rule-table edits, `MINE×THEIRS=SHAPE[/LEAD]`, e.g.
 *   `customer×customer=joint-pursuit` (roles: customer, opportunity, prospect, other)
 * @property {string} [today] the day recency is counted from (`YYYY-MM-DD`; default: today)
 * @property {number} [size] accounts to suggest (default 12; a plan names 8 to 15)
 * @property {boolean} [likely] also suggest name + city matches (default: domain and identifier matches only)
 */
/**
 * An overlapping account, ranked.
 * @typedef {object} RankedAccount
 * @property {number} row 0-based data row in my file
 * @property {Shape} shape its co-selling shape
 * @property {Side} lead who leads by the rule table
 * @property {number} score joint potential (higher first)
 * @property {string[]} reasons why, the shape first: `joint pursuit: both have open deals`, `your amount 120k`…
 * @property {'high' | 'likely' | 'possible'} confidence the match's confidence
 * @property {string} myOwner my owner of the account (when a column holds it)
 * @property {string} partnerOwner the partner's owner (when it shared one)
 */
/**
 * One account of a joint plan.
 * @typedef {object} PlanEntry
 * @property {number} row 0-based data row in my file
 * @property {Shape} [shape]
 * @property {Side} [lead] who owns the account plan and the next step
 * @property {Side} [support] who brings its relationship or deal knowledge
 * @property {Side} [close] who signs the deal
 * @property {string} [myOwner]
 * @property {string} [partnerOwner]
 * @property {string} [nextStep]
 * @property {string} [nextStepOwner]
 * @property {string} [nextStepDate] `YYYY-MM-DD`
 * @property {string} [forecastDate] `YYYY-MM-DD`
 * @property {string} [notes] use case, buying-committee members… (at most 1,000 bytes per text)
 */
/** A suggested plan. @typedef {{entries: PlanEntry[], warnings: string[]}} SuggestedPlan */
/**
 * A partner's plan on my rows.
 * @typedef {object} ReceivedPlan
 * @property {'proposal' | 'accepted' | 'changes'} status
 * @property {number} revision the partner's revision number
 * @property {PlanEntry[]} entries sides seen from me; `partnerOwner` is the sender's owner
 * @property {number[][]} rows per entry, every row of mine for the account
 * @property {string[]} warnings
 */
/** A cell of the rule table. @typedef {{mine: PopulationRole, theirs: PopulationRole, shape: Shape, lead: Side}} ShapeRule */


export {};
