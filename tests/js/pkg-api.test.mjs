// The package's API in Node, through the built pkg/: rows and streams in, the whole exchange,
// sessions kept as bytes, errors as classes with stable codes that never quote data, and the
// generated declarations (every export documented).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createReadStream, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const pkgDir = fileURLToPath(new URL('../../pkg/', import.meta.url));
const fixtureA = fileURLToPath(new URL('../fixtures/partner_a.csv', import.meta.url));
const fixtureB = fileURLToPath(new URL('../fixtures/partner_b.csv', import.meta.url));
const enc = new TextEncoder();
let o;

before(async () => {
  o = await import(`${pkgDir}node.js`);
  await o.init();
});

test('calling the API before init() is an OverlapError not_initialized; init() is idempotent', async () => {
  const script = `
    const o = await import(${JSON.stringify(`${pkgDir}node.js`)});
    try { o.Dataset.fromRows(['Website'], [['acme.com']]); } catch (e) { console.log(e instanceof o.OverlapError, e.code); }
    const [p1, p2] = [o.init(), o.init()];
    console.log(p1 === p2);
    await p1;
    console.log(o.Dataset.fromRows(['Website'], [['acme.com']]).keyCount);`;
  const out = String(execFileSync(process.execPath, ['--input-type=module', '-e', script])).trim().split('\n');
  assert.deepEqual(out, ['true not_initialized', 'true', '1']);
  // A module that cannot be loaded is an `init` error, and init() can be retried.
  const bad = `
    const o = await import(${JSON.stringify(`${pkgDir}node.js`)});
    try { await o.init({ wasm: new Uint8Array([0, 97, 115, 109, 9, 9, 9, 9]) }); } catch (e) { console.log(e.name, e.code); }
    await o.init();
    console.log(o.normalize('domain', 'WWW.Acme.COM'));`;
  assert.deepEqual(String(execFileSync(process.execPath, ['--input-type=module', '-e', bad])).trim().split('\n'), ['OverlapError init', 'acme.com']);
});

test('fromRows reads arrays and objects like the same CSV file, quoting what needs it', async () => {
  const headers = ['Account Name', 'Website', 'Notes'];
  const rows = [
    ['Acme, Inc.', 'https://www.acme.com/', 'said "hi"\nthen left'],
    { 'Account Name': 'Beta', Website: 'beta.io', Notes: null },
    ['Gamma', 'gamma.org', 42],
    { Website: ' delta.de ' },
  ];
  const d = o.Dataset.fromRows(headers, rows);
  assert.equal(d.rowCount, 4);
  assert.equal(d.summary.elementsByKind.domain, 4);
  assert.deepEqual(d.headers, headers);
  assert.deepEqual(d.row(0), ['Acme, Inc.', 'https://www.acme.com/', 'said "hi"\nthen left']);
  assert.deepEqual(d.row(1), ['Beta', 'beta.io', '']);
  assert.deepEqual(d.row(2), ['Gamma', 'gamma.org', '42']);
  assert.deepEqual(d.row(3), ['', ' delta.de ', '']);
  const csv = 'Account Name,Website\r\nAcme,acme.com\r\n';
  const f = o.Dataset.fromBytes(enc.encode(csv));
  const r = o.Dataset.fromRows(['Account Name', 'Website'], [['Acme', 'acme.com']]);
  assert.deepEqual([f.rowCount, f.keyCount, f.headers], [r.rowCount, r.keyCount, r.headers]);
  // Same bytes, so a session started from the file continues with the rows.
  const { party, message } = await o.Party.start(f, { minPopulation: 1 });
  const reply = await o.Party.respond(o.Dataset.fromRows(['Website'], [['acme.com'], ['b.io'], ['c.io']]), message, { minPopulation: 1 });
  const done = await o.Party.restore(party.toBytes(), r).receive(reply.message);
  assert.equal(done.report.matchedElements, 1);
  assert.throws(() => o.Dataset.fromRows([], []), (e) => e instanceof o.SettingsError && e.code === 'options');
  assert.throws(() => o.Dataset.fromRows(['Website'], [7]), (e) => e instanceof o.SettingsError && /row 0/.test(e.message));
  assert.throws(() => o.Dataset.fromRows(['Phone'], [['555-0100']]), (e) => e instanceof o.IngestError && e.code === 'ingest');
});

test('fromStream reads a Node stream, a ReadableStream and a Blob, with progress, and can be aborted', async () => {
  const whole = o.Dataset.fromBytes(readFileSync(fixtureA));
  const seen = [];
  const fromNode = await o.Dataset.fromStream(createReadStream(fixtureA, { highWaterMark: 4096 }), {}, { onProgress: (p) => seen.push(p.done) });
  assert.equal(fromNode.keyCount, whole.keyCount);
  assert.ok(seen.length > 5 && seen.at(-1) === readFileSync(fixtureA).length);
  const blob = new Blob([readFileSync(fixtureB)]);
  const totals = [];
  const fromBlob = await o.Dataset.fromStream(blob, {}, { onProgress: (p) => totals.push(p.total) });
  assert.equal(fromBlob.rowCount, o.Dataset.fromBytes(readFileSync(fixtureB)).rowCount);
  assert.equal(totals[0], blob.size);
  const fromWeb = await o.Dataset.fromStream(blob.stream());
  assert.equal(fromWeb.keyCount, fromBlob.keyCount);
  const ac = new AbortController();
  await assert.rejects(
    o.Dataset.fromStream(createReadStream(fixtureA, { highWaterMark: 1024 }), {}, { signal: ac.signal, onProgress: (p) => p.done > 4096 && ac.abort() }),
    (e) => e.name === 'AbortError',
  );
});

test('the whole exchange at the fields level, with A kept as bytes between messages', async () => {
  const a = o.Dataset.fromBytes(readFileSync(fixtureA));
  const b = o.Dataset.fromBytes(readFileSync(fixtureB));
  const s1 = await o.Party.start(a, { sharing: 'fields', fields: ['Account Owner'] });
  assert.equal(s1.party.step, 'awaitReply');
  assert.equal(s1.party.role, 'starter');
  assert.equal(s1.party.sharing, 'fields');
  assert.match(s1.party.session, /^[0-9a-f]{32}$/);
  const saved = s1.party.toBytes();
  const r1 = await o.Party.respond(b, s1.message, { sharing: 'fields', fields: ['Company owner'], minPopulation: 1 });
  const a1 = o.Party.restore(saved, o.Dataset.fromBytes(readFileSync(fixtureA)));
  const s2 = await a1.receive(r1.message.buffer);
  assert.equal(s2.party.step, 'awaitFields');
  const r2 = await r1.party.receive(s2.message);
  assert.equal(r2.party.step, 'done');
  const s3 = await s2.party.receive(r2.message);
  assert.equal(s3.message, undefined);
  for (const rep of [s3.report, r2.report]) {
    assert.ok(rep instanceof o.Report);
    assert.ok(rep.matchedRows > 50);
    assert.equal(rep.unit, 'rows');
    assert.equal(rep.rows().length, rep.matchedRows);
    const rows = rep.rows();
    assert.ok(rows.every((x) => x.partnerValues.length > 0 && x.partnerCells.length === 1 && x.partnerCells[0] === x.partnerValues.map((v) => v[0]).join(' | ')));
    assert.ok(rows.filter((x) => x.matchedOn.includes('domain')).length > rows.length / 2, 'most rows match on their domain');
    assert.match(new TextDecoder().decode(rep.toCsv()), /overlap_partner_populations/);
    assert.equal(rep.matrix.length, rep.myPopulations.length);
  }
  assert.deepEqual(s3.report.partnerFields, ['Company owner']);
  // The restored party refuses another dataset.
  const other = o.Party.restore(saved, o.Dataset.fromRows(['Website'], [['acme.com']]));
  await assert.rejects(other.receive(r1.message), (e) => e instanceof o.DatasetMismatchError && e.code === 'dataset');
});

test('rows from known cases: what each matched on, how confident that is, and whose populations', () => {
  const secret = 'Zq7!mR2#vL9@xT4$wK';
  const headers = ['Account Name', 'Website', 'Country', 'Type'];
  // Name keys for every named row, so that a row with a domain can match on its name too.
  const options = { nameKeys: 'always' };
  const mine = o.Dataset.fromRows(headers, [
    ['Alpha Widgets', 'alpha-widgets.de', 'Germany', 'Customer'], // the partner has this domain only
    ['Beta Gears GmbH', '', 'Germany', 'Prospect'], //           its name only
    ['Gamma Tools', 'gamma-tools.de', 'Germany', 'Customer'], //  both
    ['Delta Parts', 'delta-parts.fr', 'France', 'Prospect'], //   neither
  ], options);
  const theirs = o.Dataset.fromRows(headers, [
    ['Zeta Holdings', 'alpha-widgets.de', 'Spain', 'Prospect'],
    ['Beta Gears', '', 'DE', 'Customer'],
    ['Gamma Tools', 'gamma-tools.de', 'Germany', 'Customer'],
  ], options);
  const report = o.quickAnswer(mine, secret, o.quickStart(theirs, secret).message).report;
  const rows = report.rows().map((r) => [r.row, r.cells[0], r.matchedOn, r.confidence, r.myPopulations, r.partnerPopulations]);
  assert.deepEqual(rows, [
    [0, 'Alpha Widgets', ['domain'], 'high', ['Customers'], ['Prospects']],
    [1, 'Beta Gears GmbH', ['name'], 'possible', ['Prospects'], ['Customers']],
    [2, 'Gamma Tools', ['domain', 'name'], 'high', ['Customers'], ['Customers']],
  ]);
  // A cell of the matrix holds the rows it counts.
  const cell = (mine, theirs) => report.cellRows(report.myPopulations.findIndex((p) => p.name === mine), report.partnerPopulations.findIndex((p) => p.name === theirs));
  assert.deepEqual([cell('Customers', 'Customers'), cell('Customers', 'Prospects'), cell('Prospects', 'Customers'), cell('Prospects', 'Prospects')], [[2], [0], [1], []]);
  assert.throws(() => report.cellRows(9, 0), (e) => e instanceof o.OverlapError && e.code === 'range');
});

test('errors are OverlapError subclasses with stable codes and never quote a value from the data', async () => {
  const secretish = 'zq-confidential-prospect-77.example-corp.com';
  const d = o.Dataset.fromRows(['Website', 'Owner'], [[secretish, 'Jane Secret'], ['acme.com', 'x']]);
  const { party, message } = await o.Party.start(d, { sharing: 'overlaps' });
  const cases = [
    [() => o.Party.respond(d, enc.encode('not a message at all'), {}), o.MessageError, 'message/bad_magic'],
    [() => o.Party.respond(d, message.slice(0, 70), {}), o.MessageError, 'message/truncated'],
    [() => party.receive(message), o.MessageError, 'message/out_of_order'],
    [() => o.Party.start(d, { sharing: 'everything' }), o.SettingsError, 'options'],
    [() => o.Party.start(d, { maxPartnerSet: -1 }), o.SettingsError, 'options'],
    [() => o.Party.restore(enc.encode('OVLS?'), d), o.StateError, 'state'],
    [() => o.quickStart(d, 'short'), o.SecretError, 'secret/too_short'],
    [() => o.quickStart(d, 'Welcome2024!!'), o.SecretError, 'secret/weak'],
    [() => o.normalize('email', 'jane.secret@gmail.com'), o.NormalizeError, 'free_mail'],
    [() => o.normalize('colour', 'red'), o.NormalizeError, 'unknown_kind'],
    [() => d.row(99), o.OverlapError, 'range'],
    [() => o.Dataset.fromBytes(enc.encode('Phone,Contact\n555,Jane Secret\n')), o.IngestError, 'ingest'],
  ];
  for (const [f, Cls, code] of cases) {
    let err;
    try {
      await f();
    } catch (e) {
      err = e;
    }
    assert.ok(err instanceof Cls, `${code}: got ${err?.name}`);
    assert.ok(err instanceof o.OverlapError && err instanceof Error);
    assert.equal(err.code, code);
    assert.equal(err.name, Cls.name);
    for (const v of [secretish, 'Jane Secret', 'jane.secret', 'not a message at all']) assert.ok(!err.message.includes(v), `${code} quotes data`);
  }
  // Flipping one byte of a message is caught by its checksum.
  const damaged = message.slice();
  damaged[80] ^= 1;
  await assert.rejects(o.Party.respond(d, damaged, {}), (e) => e.code === 'message/corrupted');
});

test('package.json: exports map, no side effects, files that exist, generated types', () => {
  const require = createRequire(import.meta.url);
  const m = require(`${pkgDir}package.json`);
  assert.deepEqual(Object.keys(m.exports['.']), ['types', 'browser', 'node', 'import', 'default']);
  assert.equal(m.exports['.'].types, './index.d.ts');
  assert.equal(m.exports['.'].browser, './index.js');
  assert.equal(m.sideEffects, false);
  assert.equal(m.type, 'module');
  assert.equal(m.license, 'Apache-2.0');
  for (const f of m.files) readFileSync(`${pkgDir}${f}`);
  for (const f of ['README.md', 'CHANGELOG.md', 'LICENSE', 'index.d.ts', 'pool-worker.js']) assert.ok(m.files.includes(f), f);
  // Importing either entry runs no code of ours: everything is in functions.
  for (const entry of ['index.js', 'node.js']) {
    const src = readFileSync(`${pkgDir}${entry}`, 'utf8');
    assert.doesNotMatch(src, /^(?!export|import|\/\/| |\}|\/\*\*| \*|\s*$|function|async function|const \w+ = \(|$).+/m, `${entry}: top-level statement`);
  }
});

test('every export has a declaration with a doc comment', async () => {
  const ts = (await import('typescript')).default;
  const program = ts.createProgram([`${pkgDir}index.d.ts`, `${pkgDir}node.d.ts`], { strict: true, noEmit: true, skipLibCheck: false, target: ts.ScriptTarget.ES2022, types: [], lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'] });
  const diags = ts.getPreEmitDiagnostics(program);
  assert.deepEqual(diags.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')), [], 'the declarations type-check on their own');
  const checker = program.getTypeChecker();
  const runtime = await import(`${pkgDir}index.js`);
  for (const entry of ['index.d.ts', 'node.d.ts']) {
    const sf = program.getSourceFile(`${pkgDir}${entry}`);
    const exports = checker.getExportsOfModule(checker.getSymbolAtLocation(sf));
    const names = exports.map((s) => s.name);
    for (const name of Object.keys(runtime)) assert.ok(names.includes(name), `${entry} declares ${name}`);
    for (const name of ['initWith', 'compiledModule', 'compileSource', 'toOverlapError']) assert.ok(!names.includes(name), `${entry} hides ${name}`);
    const undocumented = exports
      .map((s) => (s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s))
      .filter((s) => ts.displayPartsToString(s.getDocumentationComment(checker)).trim() === '')
      .map((s) => s.name);
    assert.deepEqual(undocumented, [], `${entry}: exports without a doc comment`);
  }
});

test('preview, summary and population options: what a file will give before and after reading it', async () => {
  const csv = 'Account Name;Website;Type\r\nAcme;https://www.acme.com/;Customer - Direct\r\nBeta;beta.io;Prospect\r\nGamma;n/a;Customer\r\n';
  const bytes = enc.encode(csv);
  assert.ok(o.previewBytes() >= 4096);
  const p = o.preview(bytes.subarray(0, o.previewBytes()));
  assert.equal(p.delimiter, 'semicolon');
  assert.deepEqual(p.headers, ['Account Name', 'Website', 'Type']);
  assert.equal(p.mapping.find((m) => m.field === 'website').header, 'Website');
  assert.ok(p.populationColumns.some((c) => c.header === 'Type'));
  const d = o.Dataset.fromBytes(bytes, { nameKeys: 'fallback', populations: [{ name: 'Customers', column: 'Type', values: ['Customer', 'Customer - Direct'] }, { name: 'Others', rest: true }] });
  assert.deepEqual(d.populations, ['Customers', 'Others']);
  assert.equal(d.summary.rows, 3);
  assert.equal(d.summary.delimiter, 'semicolon');
  assert.equal(d.columnValues(2).values.length, 3);
  assert.equal(d.rowLine(2), 4);
  assert.deepEqual(d.summary.elementsByKind, { domain: 2, duns: 0, linkedin: 0, name: 1 }, 'Gamma falls back to its name');
  const bare = o.Dataset.fromBytes(enc.encode('Website\nacme.com\nn/a\n'));
  assert.deepEqual(bare.issues.map((i) => [i.row, i.kind]), [[1, 'no_key']]);
  assert.doesNotMatch(bare.issues[0].reason, /n\/a/);
  assert.match(new TextDecoder().decode(bare.issuesCsv()), /^line,kind,reason/);
  // Streamed in tiny chunks, the same dataset: a session started from the bytes continues.
  const streamed = await o.Dataset.fromStream((async function* () {
    for (let i = 0; i < bytes.length; i += 7) yield bytes.subarray(i, i + 7);
  })());
  assert.equal(streamed.keyCount, o.Dataset.fromBytes(bytes).keyCount);
  assert.throws(() => o.Dataset.fromBytes(bytes, { delimiter: 'x' }), (e) => e instanceof o.SettingsError && e.code === 'options');
  // Option words are the core's, as the CLI reads them: a tab is a tab, `tab` or the two characters `\t`.
  const tsv = enc.encode('Website\tType\nacme.com\tCustomer\nbeta.io\tProspect\n');
  for (const delimiter of ['\t', 'tab', '\\t']) assert.equal(o.Dataset.fromBytes(tsv, { delimiter }).summary.delimiter, 'tab', JSON.stringify(delimiter));
  assert.throws(() => o.Dataset.fromBytes(tsv, { nameKeys: 'sometimes' }), (e) => e instanceof o.SettingsError && /paired, always, fallback or never/.test(e.message));
  // A report's populations carry their roles (guessed from the names).
  const mine = [{ name: 'Key clients', column: 'Type', values: ['Customer'] }, { name: 'Everyone else', rest: true }];
  const q = o.quickAnswer(o.Dataset.fromBytes(tsv, { populations: mine }), 'Zq7!mR2#vL9@xT4$wK', o.quickStart(o.Dataset.fromBytes(tsv), 'Zq7!mR2#vL9@xT4$wK').message).report;
  assert.deepEqual(q.myPopulations.map((p) => [p.name, p.role]), [['Key clients', 'customer'], ['Everyone else', 'other']]);
  assert.throws(() => o.Dataset.fromBytes(bytes, { columns: { colour: 'Type' } }), (e) => e.code === 'options');
});

test('CSV exports: for Excel by default (BOM, formulas guarded), for a CRM import with { for: "crm" }', () => {
  const secret = 'Zq7!mR2#vL9@xT4$wK';
  const mine = o.Dataset.fromRows(['Name', 'Website', 'Phone'], [['Débora', 'debora.se', '+46 70 123 45 67'], ['=1+1', 'acme.com', '-12.5']]);
  const theirs = o.Dataset.fromRows(['Website'], [['debora.se'], ['acme.com']], { populations: [{ name: '@SUM(A1)', all: true }, { name: '＋A1', all: true }] });
  // The partner (hostile population names) starts a quick session; mine answers it.
  const r = o.quickAnswer(mine, secret, o.quickStart(theirs, secret).message).report;
  const text = (b) => new TextDecoder('utf-8', { ignoreBOM: true }).decode(b);
  const bom = '\uFEFF';
  const excel = text(r.toCsv());
  assert.equal(excel, text(r.toCsv({ for: 'excel' })));
  assert.equal(excel, text(r.toCsv({})));
  assert.ok(excel.startsWith(`${bom}Name,Website,Phone,overlap_partner_populations,`), excel);
  assert.match(excel, /\nDébora,debora\.se,'\+46 70 123 45 67,"'@SUM\(A1\);＋A1",/);
  assert.match(excel, /\n'=1\+1,acme\.com,'-12\.5,/);
  const crm = text(r.toCsv({ for: 'crm' }));
  assert.ok(crm.startsWith('Name,Website,Phone,overlap_partner_populations,'), crm);
  assert.match(crm, /\nDébora,debora\.se,\+46 70 123 45 67,"'@SUM\(A1\);＋A1",/, 'phone numbers are kept; formulas are not');
  assert.match(crm, /\n'=1\+1,acme\.com,-12\.5,/);
  const matrix = text(r.matrixCsv());
  assert.ok(matrix.startsWith(`${bom}my population \\ partner population,'@SUM(A1),'＋A1\n`), matrix);
  assert.equal(text(r.matrixCsv({ for: 'crm' })), matrix.slice(1));
  assert.equal(text(mine.issuesCsv()), `${bom}line,kind,reason\n`);
  assert.equal(text(mine.issuesCsv({ for: 'crm' })), 'line,kind,reason\n');
  for (const bad of [{ for: 'json' }, { for: 1 }]) {
    assert.throws(() => r.toCsv(bad), (e) => e instanceof o.SettingsError && e.code === 'options');
    assert.throws(() => r.matrixCsv(bad), (e) => e instanceof o.SettingsError && e.code === 'options');
    assert.throws(() => mine.issuesCsv(bad), (e) => e instanceof o.SettingsError && e.code === 'options');
  }
});

test('a large export read whole, in chunks or streamed is the same dataset: a session moves between them', async () => {
  let csv = 'Account Name,Website,Type\n';
  for (let i = 0; i < 40_000; i++) csv += `Company ${i},https://www.company-number-${i}.com/about/us,${i % 3 ? 'Prospect' : 'Customer'}\n`;
  const bytes = enc.encode(csv);
  assert.ok(bytes.length > 2 << 20, 'more than one chunk');
  const whole = o.Dataset.fromBytes(bytes);
  const streamed = await o.Dataset.fromStream(new Blob([bytes]));
  assert.deepEqual([whole.rowCount, whole.keyCount, whole.summary.elements], [streamed.rowCount, streamed.keyCount, streamed.summary.elements]);
  const partner = o.Dataset.fromRows(['Website'], Array.from({ length: 10 }, (_, i) => [`company-number-${i * 1000}.com`]));
  const { party, message } = await o.Party.start(whole, { minPopulation: 1 });
  const reply = await o.Party.respond(partner, message, { minPopulation: 1 });
  const done = await o.Party.restore(party.toBytes(), streamed).receive(reply.message);
  assert.equal(done.report.matchedElements, 10);
});
