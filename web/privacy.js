// The privacy dashboard of the person recorded, opened from a link carrying
// a subject token in the fragment (#token=…): the fragment never reaches a
// server or a Referer, and the page removes it from the address bar at once.
'use strict';

const $ = (id) => document.getElementById(id);
const POLICY_VERSION = '2026-11';

function readToken() {
  const fromHash = new URLSearchParams(location.hash.slice(1)).get('token');
  if (fromHash) {
    sessionStorage.setItem('earshot-subject-token', fromHash);
    history.replaceState(null, '', location.pathname);
  }
  return sessionStorage.getItem('earshot-subject-token') || '';
}

function status(text, isError = false) {
  $('status').textContent = text;
  $('status').className = isError ? 'error' : 'okmsg';
}

function confirmDelete(text) {
  return new Promise((resolve) => {
    const dialog = $('confirm');
    $('confirm-text').textContent = text;
    dialog.returnValue = '';
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'delete'), { once: true });
    dialog.showModal();
  });
}

// Plays `url` (a recording or a clip, identified by `id`) with `button`
// as its play/pause control.
async function play(url, id, button) {
  const player = $('player');
  if (!player.paused && player.dataset.id === id) { player.pause(); return; }
  try {
    const res = await earshot.call('GET', url, undefined, { raw: true });
    if (player.src) URL.revokeObjectURL(player.src);
    player.src = URL.createObjectURL(await res.blob());
    player.dataset.id = id;
    await player.play();
    button.textContent = 'Pause';
    player.onpause = player.onended = () => { button.textContent = 'Play'; };
  } catch (err) {
    status(err.message, true);
  }
}

// Recordings made within one minute must not read alike: the time with
// seconds, and each row's number (1 the oldest), named in every action.
function whenExact(iso) {
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}
function recordingName(rec) {
  return `recording ${rec.number} (${whenExact(rec.captured_at)}, ${(rec.duration_ms / 1000).toFixed(1)} s)`;
}

// The link's own trouble, told apart: a person whose link expired opens a
// new one; a damaged or forged link is not theirs to fix by waiting.
const LINK_ERRORS = {
  expired_subject_token: 'This link has expired. Open it again from your assistant app.',
  bad_subject_token: 'This link is not valid: it may have been copied incompletely. Open it again from your assistant app.',
  unknown_subject: 'Nothing is held for this link any more: everything was deleted.',
};

function listenText(rec) {
  if (!rec.listens.length) return 'No person has heard this recording.';
  return rec.listens.map((l) => `Heard by ${l.reviewer} on ${earshot.when(l.at)} (${l.purpose === 'review' ? 'quality review' : l.purpose})`).join('; ');
}

// "What you said" (the assistant's transcript, shown to this person only)
// and "what a reviewer hears": each de-identified clip made from the
// recording, playable exactly as a reviewer receives it, with the masked
// text the reviewer reads.
function whatWasHeard(rec) {
  const box = earshot.el('details', { class: 'heard' },
    earshot.el('summary', {}, 'What you said, and what a reviewer hears'));
  box.append(rec.transcript
    ? earshot.el('p', {}, 'What the assistant understood: ', earshot.el('q', { class: 'transcript' }, rec.transcript))
    : earshot.el('p', {}, 'The assistant sent no transcript of this recording.'));
  if (!rec.clips.length) {
    box.append(earshot.el('p', { class: 'muted' }, 'No clip of it is kept for review (clips are deleted 30 days after review, and only a sample is reviewed).'));
  }
  for (const clip of rec.clips) {
    const button = earshot.el('button', { type: 'button', class: 'secondary',
      'aria-label': `Play the clip a reviewer hears of ${recordingName(rec)}` }, 'Play');
    button.addEventListener('click', () => play(clip.audio_url, clip.id, button));
    box.append(earshot.el('p', { class: 'clip' },
      'A reviewer hears this clip, with your voice altered and personal details beeped, and reads ',
      earshot.el('q', { class: 'masked' }, clip.masked_text), ' ', button));
  }
  return box;
}

async function loadRecordings() {
  const { recordings } = await earshot.call('GET', '/api/v1/me/recordings');
  const box = $('recordings');
  box.replaceChildren();
  if (!recordings.length) {
    box.append(earshot.el('p', { class: 'muted' }, 'No recordings are kept.'));
    return;
  }
  // Newest first, as the server sends them; numbered from the oldest.
  recordings.forEach((rec, i) => { rec.number = recordings.length - i; });
  const rows = recordings.map((rec) => {
    const playButton = earshot.el('button', { type: 'button', class: 'secondary', disabled: !rec.audio_available,
      'aria-label': `Play ${recordingName(rec)}` }, 'Play');
    playButton.addEventListener('click', () => play(`/api/v1/me/recordings/${rec.id}/audio`, rec.id, playButton));
    const del = earshot.el('button', { type: 'button', class: 'danger',
      'aria-label': `Delete ${recordingName(rec)}` }, 'Delete');
    del.addEventListener('click', async () => {
      if (!await confirmDelete(`The ${recordingName(rec)} and everything made from it (clips, transcripts) will be deleted for good.`)) return;
      try {
        await earshot.call('DELETE', `/api/v1/me/recordings/${rec.id}`);
        status('Deleted.');
        await loadRecordings();
      } catch (err) { status(err.message, true); }
    });
    return earshot.el('tr', { class: rec.heard_by_person ? 'heard' : 'unheard' },
      earshot.el('td', {}, earshot.el('span', { class: 'muted' }, `${rec.number}. `), whenExact(rec.captured_at)),
      earshot.el('td', {}, `${(rec.duration_ms / 1000).toFixed(1)} s`),
      earshot.el('td', {}, earshot.el('strong', {}, rec.heard_by_person ? 'Heard by a person' : 'Not heard'), earshot.el('br'),
        earshot.el('span', { class: 'muted' }, listenText(rec)), whatWasHeard(rec)),
      earshot.el('td', {}, earshot.el('span', { class: 'row' }, playButton, del)));
  });
  box.append(earshot.el('table', {},
    earshot.el('thead', {}, earshot.el('tr', {}, earshot.el('th', {}, 'When'), earshot.el('th', {}, 'Length'),
      earshot.el('th', {}, 'Heard by a person?'), earshot.el('th', {}, earshot.el('span', { class: 'muted' }, 'Actions')))),
    earshot.el('tbody', {}, ...rows)));
}

async function loadChoices() {
  const c = await earshot.call('GET', '/api/v1/me/consents');
  for (const [purpose, granted] of Object.entries(c.purposes)) {
    const box = $(`c-${purpose}`);
    if (box) box.checked = granted;
  }
  // Review and training need the recordings kept: off and unavailable
  // while "keep my recordings" is off (the server withdraws them with it).
  for (const box of document.querySelectorAll('input[data-needs-store]')) {
    box.disabled = !c.purposes.store;
    if (!c.purposes.store) box.checked = false;
  }
  for (const r of document.getElementsByName('retention')) r.checked = r.value === c.retention;
  $('retention-default').classList.toggle('hidden', c.retention !== 'default');
}

for (const box of document.querySelectorAll('input[data-purpose]')) {
  box.addEventListener('change', async () => {
    try {
      await earshot.call('PUT', '/api/v1/me/consents', {
        purposes: { [box.dataset.purpose]: box.checked }, policy_version: POLICY_VERSION });
      status('Saved.');
      await loadChoices();
    } catch (err) { status(err.message, true); box.checked = !box.checked; }
  });
}
for (const r of document.getElementsByName('retention')) {
  r.addEventListener('change', async () => {
    try {
      await earshot.call('PUT', '/api/v1/me/retention', { retention: r.value });
      $('retention-default').classList.add('hidden');
      status('Saved.');
    } catch (err) { status(err.message, true); }
  });
}

$('export').addEventListener('click', async () => {
  try {
    const res = await earshot.call('GET', '/api/v1/me/export?format=zip', undefined, { raw: true });
    const url = URL.createObjectURL(await res.blob());
    const a = earshot.el('a', { href: url, download: 'my-voice-recordings.zip' });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
    status('Your download has started.');
  } catch (err) { status(err.message, true); }
});

$('erase-all').addEventListener('click', async () => {
  if (!await confirmDelete('All your recordings, clips, transcripts and choices will be deleted for good, and reviewers will no longer receive any of them. This cannot be undone.')) return;
  try {
    await earshot.call('DELETE', '/api/v1/me');
    sessionStorage.removeItem('earshot-subject-token');
    $('recordings').replaceChildren(earshot.el('p', {}, 'Everything has been deleted.'));
    for (const el of document.querySelectorAll('section, header button')) {
      if (el.id !== 'list-h') el.setAttribute('hidden', '');
    }
    $('recordings').parentElement.removeAttribute('hidden');
    status('Everything has been deleted.');
  } catch (err) { status(err.message, true); }
});

(async () => {
  const token = readToken();
  if (!token) {
    status('This page needs the link from your assistant app.', true);
    return;
  }
  earshot.setBearer(token);
  try {
    await Promise.all([loadRecordings(), loadChoices()]);
  } catch (err) {
    if (err.status === 401) sessionStorage.removeItem('earshot-subject-token');
    status(err.status === 401 ? (LINK_ERRORS[err.code] || LINK_ERRORS.bad_subject_token) : err.message, true);
  }
})();
