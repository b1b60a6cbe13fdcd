// What an error means for the analyst: a headline, what to do, and the package's own words as
// detail. Package errors carry a stable `code` and never quote a cell value; neither does this.
import { NUMBER } from './wire.js';

/** @type {Record<string, string>} */
const KIND_NAME = { offer: 'offer', reply: 'reply', confirm: 'confirm', fields: 'fields message', quick: 'quick-mode list' };
const named = (kind) => (kind ? `${KIND_NAME[kind] ?? kind}${NUMBER[kind] ? ` (message ${NUMBER[kind]})` : ''}` : 'message');

/**
 * What went wrong, for people: a headline, what to do, the technical detail.
 * @typedef {object} Problem
 * @property {string} title
 * @property {string} [body]
 * @property {string} [detail]
 * @property {boolean} [cancelled] the analyst cancelled: nothing went wrong
 * @property {{label: string, run: () => unknown}} [action] a way out, as a button
 */

/**
 * @param {unknown} error what was thrown: an EngineError (`code`, `message`, `name`), or anything
 * @param {{file?: string, info?: any, expected?: string | null, session?: string, started?: boolean, go?: (step: string) => void}} [c]
 *   what the page knows: the file, what its header says, the message expected next, the session,
 *   whether the session had started
 * @returns {Problem}
 */
export function explain(error, c = {}) {
  const e = /** @type {{code?: string, message?: string, name?: string} | null | undefined} */ (error);
  const code = e?.code ?? '';
  const detail = e?.message && e.message !== 'cancelled' ? `${e.message}${code ? ` [${code}]` : ''}` : undefined;
  const file = c.file ? `${c.file}: ` : '';
  if (e?.name === 'AbortError' || code === 'cancelled') {
    return { cancelled: true, title: 'Cancelled.', body: 'Nothing was sent or saved by that step. You can start it again whenever you like.' };
  }
  if (code === 'ingest/no_rows') {
    return {
      title: `${file}the file has column names but no accounts`,
      body: 'It holds only its header row. Export your accounts again with their rows (check the CRM report or view it was exported from is not empty) and drop that file.',
    };
  }
  if (code === 'ingest/no_keys') {
    return {
      title: `${file}none of its rows has a website, domain, email, ID or company name that can be matched`,
      body: 'Check the column choices under Columns, or export the accounts again with their website or domain.',
    };
  }
  if (code === 'ingest') {
    const m = e?.message ?? '';
    // The core names files that are not CSV (a workbook, an image, a PDF, an archive) and says
    // what to do: "this is an Excel workbook (.xlsx), not a CSV file: open it in Excel and …".
    const foreign = /^(this is .*?, not a CSV file): (.*)$/.exec(m);
    if (foreign) return { title: `${file}${foreign[1]}`, body: `${foreign[2][0].toUpperCase()}${foreign[2].slice(1)}.` };
    if (/no website, domain, email|no .*column found/i.test(m)) {
      return {
        title: `${file}no column to match accounts on`,
        body: 'overlap needs a website, domain, email, DUNS, LinkedIn or company name column. If your file has one under another name, choose it under “Recognised columns”.',
        detail,
      };
    }
    if (/binary|not a text/i.test(m)) {
      return { title: `${file}this is not a CSV file`, body: 'Export your accounts from the CRM as CSV (comma, semicolon or tab separated) and drop that file.', detail };
    }
    if (/empty/i.test(m)) return { title: `${file}the file is empty`, body: 'Export your accounts again and drop the CSV file.', detail };
    return { title: `${file}this file cannot be read as a CRM export`, body: 'Check the column choices, or export the file again as CSV.', detail };
  }
  if (code === 'options' || code === 'settings') {
    return {
      title: 'These settings cannot be used',
      body: 'Check your choices under Columns and Sharing (the reason is below) and try again.',
      detail,
      action: { label: 'Back to Sharing', run: () => c.go?.('sharing') },
    };
  }
  if (code === 'unsafe') {
    return {
      title: "Your partner's populations are too small to share counts safely",
      body: c.started
        ? 'With tiny populations the matrix could single out one account, so this session (which shares counts) refuses the file. Start a new mapping that shares overlaps, or with lower limits under “Guards” if you accept that — or ask your partner to use fewer, larger populations.'
        : 'With tiny populations the matrix could single out one account. Choose “Overlaps”, or lower the limits under “Guards” if you accept that — or ask your partner to use fewer, larger populations.',
      detail,
    };
  }
  if (code === 'dataset') {
    return { title: 'This is not the export this session started from', body: 'The saved session only works with the same file read the same way. Discard it and start again if the export changed.', detail };
  }
  if (code === 'finished') {
    return { title: 'This session is finished', body: 'There is no further message to load: your results are complete.', detail };
  }
  if (code === 'state') return { title: 'The saved session cannot be used', body: 'Discard it and start a new mapping.', detail };
  if (code === 'secret/too_short') return { title: 'The shared secret is too short', body: 'Use at least 12 characters, agreed with your partner outside the channel you send the files through — or “Suggest one”.', detail };
  if (code.startsWith('secret/')) return { title: 'The shared secret is too easy to guess', body: `${e?.message}.`, detail };
  if (code === 'memory') return { title: 'This browser refused the memory the key derivation needs', body: 'Close other tabs and try again.', detail };
  if (code === 'engine') return { title: e?.message ?? 'The engine stopped', body: 'Try the step again. Very large files need a lot of memory: close other tabs if it happens again.' };
  if (code.startsWith('message/')) {
    const fault = code.slice('message/'.length);
    const info = c.info;
    switch (fault) {
      case 'bad_magic':
        return {
          title: `${file}this is not an overlap message`,
          body: `It looks like ${info?.looksLike ?? 'another kind of file'}. Load the .overlap file your partner sent you.`,
          detail,
        };
      case 'other_session':
        return {
          title: `${file}this file belongs to another mapping`,
          body: `It was made for session ${info?.session?.slice(0, 8) ?? 'another'}${c.session ? `; this session is ${c.session.slice(0, 8)}` : ''}. Ask your partner for the file of this session, or resume the session it belongs to from the start page.`,
          detail,
        };
      case 'out_of_order':
        return {
          title: `${file}this is ${info?.kind ? `the ${named(info.kind)}` : 'another message'}, but the next one expected is the ${named(c.expected)}`,
          body: 'Load the file your partner sent after your last message.',
          detail,
        };
      case 'transcript_mismatch':
        return { title: `${file}this message does not follow the last one`, body: 'It is an older or repeated file from this session. Ask your partner for their latest file.', detail };
      case 'normalization_mismatch':
        return { title: 'You and your partner use different versions of overlap', body: 'Both sides need the same version: update the page (or the CLI) on both sides and start again.', detail };
      case 'corrupted':
      case 'truncated':
        return { title: `${file}the file is damaged`, body: 'It is incomplete or was altered on the way. Ask your partner to send it again.', detail };
      case 'oversize':
        return { title: "Your partner's list is larger than you accept", body: 'Its size is above the limit under “Guards”. Raise the limit only if such a list is plausible for this partner.', detail };
      case 'altered':
        return { title: `${file}this list was changed after your partner made it`, body: 'Its authentication code does not match, although the secret does: someone dropped, added or relabelled accounts on the way. Ask your partner to send the file again by another route.', detail };
      case 'wrong_role':
        return c.expected === 'quick' && info?.role === 'first'
          ? { title: `${file}this list starts a quick-mode session; it is not your partner's answer`, body: 'It is your own list sent back, or your partner started a session of its own. Your partner answers by loading your list under “Answer a partner’s offer” and sending back the list it makes then.', detail }
          : { title: `${file}this list answers a quick-mode session; it does not start one`, body: 'Load the list your partner started the session with.', detail };
      case 'wrong_secret':
        return { title: `${file}this list was made with a different shared secret`, body: 'Check the secret with your partner (by phone, not by the channel you send files through) and type it again.', detail };
      case 'unknown_version':
      case 'unknown_kind':
        return { title: `${file}this message comes from a version of overlap this page does not know`, body: 'Update both sides to the same version.', detail };
      default:
        return { title: `${file}this message cannot be used`, body: 'Ask your partner to create it again.', detail };
    }
  }
  return { title: 'Something went wrong', body: 'Try again. If it keeps happening, reload the page: saved sessions are kept.', detail };
}
