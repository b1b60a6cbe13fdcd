import { OverlapError, type Progress } from 'overlap';
import { match, type Inputs, type Outcome } from './match';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const result = $<HTMLPreElement>('result');
const progress = $<HTMLProgressElement>('progress');
const cancel = $<HTMLButtonElement>('cancel');

async function inputs(): Promise<Inputs> {
  const file = (id: string) => $<HTMLInputElement>(id).files?.[0];
  const [mine, theirs] = [file('mine'), file('theirs')];
  if (!mine || !theirs) return {};
  return { mine: new Uint8Array(await mine.arrayBuffer()), theirs: new Uint8Array(await theirs.arrayBuffer()) };
}

function show(state: 'running' | 'done' | 'error', text: string, outcome?: Outcome) {
  result.dataset.state = state;
  result.textContent = text;
  if (outcome) result.dataset.outcome = JSON.stringify(outcome);
  cancel.disabled = state !== 'running';
}

const onProgress = (p: Progress) => {
  progress.max = p.total ?? 1;
  progress.value = p.done;
};

const describe = (o: Outcome) => `I share ${o.a} of my ${o.aRows} rows with the partner; the partner ${o.b} of ${o.bRows}. Workers: ${o.workers}.`;

$('run-here').addEventListener('click', async () => {
  const abort = new AbortController();
  cancel.onclick = () => abort.abort();
  show('running', 'matching…');
  try {
    const o = await match(await inputs(), onProgress, abort.signal);
    show('done', describe(o), o);
  } catch (e) {
    show('error', e instanceof OverlapError ? `${e.message} [${e.code}]` : String(e));
  }
});

$('run-worker').addEventListener('click', async () => {
  const engine = new Worker(new URL('./engine.ts', import.meta.url), { type: 'module' });
  cancel.onclick = () => engine.postMessage({ type: 'cancel' });
  show('running', 'matching in a worker…');
  engine.onmessage = (e) => {
    const m = e.data;
    if (m.type === 'progress') return onProgress(m.progress);
    if (m.type === 'done') show('done', describe(m.outcome), m.outcome);
    else show('error', `${m.message} [${m.code}]`);
    engine.terminate();
  };
  engine.postMessage({ type: 'run', inputs: await inputs() });
});
