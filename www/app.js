// The page: quick mode end to end. Everything runs in this tab; nothing is sent anywhere.
import { init, Dataset, quickList, quickMatch } from './pkg/index.js';

const $ = (id) => document.getElementById(id);
let dataset = null;
let fileName = '';
let report = null;

function showError(e) {
  $('error').textContent = e ? `${e.message ?? e}` : '';
}

function refresh() {
  const ok = dataset && $('secret').value.length >= 8;
  $('make').disabled = !ok;
  $('partner').disabled = !ok;
}

async function loadCsv(file) {
  showError(null);
  dataset = null;
  $('step-results').hidden = true;
  try {
    await init();
    const bytes = new Uint8Array(await file.arrayBuffer());
    dataset = new Dataset(bytes, {});
    fileName = file.name;
    const bad = dataset.issues.length;
    $('file-status').textContent =
      `${file.name}: ${dataset.rowCount} rows, ${dataset.keyCount} distinct keys` +
      (bad ? `, ${bad} rows without a usable key` : '');
  } catch (e) {
    $('file-status').textContent = '';
    showError(new Error(`${file.name}: ${e.message}`));
  }
  refresh();
}

function download(bytes, name, type) {
  const url = URL.createObjectURL(new Blob([bytes], { type }));
  const a = Object.assign(document.createElement('a'), { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function stem() {
  return fileName.replace(/\.[^.]*$/, '') || 'overlap';
}

$('csv').addEventListener('change', (e) => e.target.files[0] && loadCsv(e.target.files[0]));
const drop = $('drop');
drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (e) => {
  e.preventDefault();
  drop.classList.remove('over');
  if (e.dataTransfer.files[0]) loadCsv(e.dataTransfer.files[0]);
});
$('secret').addEventListener('input', refresh);

$('make').addEventListener('click', () => {
  showError(null);
  try {
    const msg = quickList(dataset, $('secret').value);
    download(msg, `${stem()}.quick.msg`, 'application/octet-stream');
    $('exchange-status').textContent = `Your list (${msg.length} bytes) is downloaded: send it to your partner.`;
  } catch (e) {
    showError(e);
  }
});

$('partner').addEventListener('change', async (e) => {
  const file = e.target.files[0];
  if (!file) return;
  showError(null);
  try {
    report = quickMatch(dataset, $('secret').value, new Uint8Array(await file.arrayBuffer()));
    renderReport();
  } catch (err) {
    showError(new Error(`${file.name}: ${err.message}`));
  }
  e.target.value = '';
});

$('export').addEventListener('click', () => {
  download(report.toCsv(dataset), `${stem()}.overlap.csv`, 'text/csv');
});

function renderReport() {
  const pct = ((100 * report.matchCount) / Math.max(1, report.myRows)).toFixed(1);
  $('summary').innerHTML = '';
  $('summary').append(
    `${report.matchCount} of your ${report.myRows} rows overlap (${pct}%). ` +
      `Partner's list: ${report.partnerSetSize} keys. `,
  );
  for (const w of report.warnings) {
    const p = document.createElement('p');
    p.className = 'warning';
    p.textContent = w;
    $('summary').append(p);
  }
  const table = $('matches');
  table.replaceChildren();
  const head = table.createTHead().insertRow();
  for (const h of dataset.headers) head.append(Object.assign(document.createElement('th'), { textContent: h }));
  const body = table.createTBody();
  const rows = report.matchRows;
  for (let i = 0; i < Math.min(rows.length, 500); i++) {
    const tr = body.insertRow();
    for (const cell of dataset.row(rows[i])) tr.insertCell().textContent = cell;
  }
  $('step-results').hidden = false;
}
