// The reviewer workstation: the next clip plays on arrival, the one after it
// is leased (with its waveform peaks) while this one is reviewed, and
// everything works from the keyboard. A clip's audio is fetched once, when it
// is about to play (that fetch is the listen the person recorded sees), and
// played from memory, so seeking and replaying never count as new plays.
// A clip whose lease is gone (withdrawn, erased, expired) is dropped at once.
// The reviewer's work on the clip on screen survives a reload as a draft in
// the tab's session storage (text and choices only, never audio).
'use strict';

const $ = (id) => document.getElementById(id);
const audio = $('audio');
const SPEEDS = [0.5, 0.75, 1, 1.25, 1.5, 1.75, 2];
const QUESTIONS = ['intended', 'heard_accurately', 'responded_appropriately'];

let current = null;      // {task, url, peaks, bleeps, durationMs}
let prefetched = null;   // Promise of the next clip, or null
let resumed = [];        // tasks this reviewer already held when the page loaded
let speedIndex = 2;
let pollTimer = null;
let isLead = false;      // leads adjudicate first, review too, and mark gold clips
window.earshotTiming = { submits: [] };  // submit → next clip playing, ms (read by the benchmark)

function status(text, isError = false) {
  $('status').textContent = text;
  $('status').className = isError ? 'error' : '';
}

function showShift(shift) {
  if (!shift) return;
  $('shift').textContent = `${shift.done} / ${shift.cap} clips this shift`;
}

// A leased task with its peaks; its audio comes when it is about to play.
async function loadClip(task) {
  const outline = await earshot.call('GET', `/api/v1/review/tasks/${task.id}/peaks?n=600`);
  return { task, url: null, peaks: outline.peaks, bleeps: outline.bleeps || [],
    durationMs: outline.duration_ms || task.duration_ms };
}

// Fetches the clip's audio (one play, recorded as a listen). False if the
// lease is gone.
async function fetchAudio(clip) {
  try {
    const res = await earshot.call('GET', clip.task.audio_url, undefined, { raw: true });
    clip.url = URL.createObjectURL(await res.blob());
    return true;
  } catch (err) {
    if (err.status === 404) return false;
    throw err;
  }
}

const WAIT_MESSAGES = {
  on_break: 'You are on a break. The queue will be back when it ends.',
  shift_cap_reached: 'You have reviewed the most clips allowed this shift. Thank you.',
  distress_cap_reached: 'You have heard the most distressing clips allowed this shift. Please stop for today.',
};

// The next clip: one held from before a reload, else a new lease.
// A lead is given a disagreement to adjudicate before a clip to review.
async function nextClip() {
  let task = resumed.length ? resumed.shift() : null;
  if (!task && isLead) task = (await earshot.call('POST', '/api/v1/review/adjudications/next')).task;
  if (!task) task = (await earshot.call('POST', '/api/v1/review/next')).task;
  return task ? loadClip(task) : null;
}

const ANSWER_TEXT = { true: 'yes', false: 'no', cant_tell: "can't tell" };

// The reviews an adjudication shows its lead (never shown to reviewers).
function showAdjudication(task) {
  $('adjudication').classList.toggle('hidden', !task.adjudication);
  if (!task.adjudication) return;
  $('adjudication-reviews').replaceChildren(...(task.reviews || []).map((r, i) => {
    const li = document.createElement('li');
    const words = document.createElement('q');
    words.textContent = r.transcript || '(empty)';
    const answers = QUESTIONS.map((q, n) => `${n + 1}: ${ANSWER_TEXT[String(r[q])] || "can't tell"}`).join(' · ');
    li.append(`Review ${i + 1}: `, words, ` — ${answers}`);
    return li;
  }));
}

function prefetch() {
  prefetched = nextClip().catch((err) => ({ error: err }));
}

function drawWave() {
  const canvas = $('wave');
  const ratio = window.devicePixelRatio || 1;
  canvas.width = Math.max(1, Math.floor(canvas.clientWidth * ratio));
  canvas.height = Math.max(1, Math.floor(canvas.clientHeight * ratio));
  const g = canvas.getContext('2d');
  g.clearRect(0, 0, canvas.width, canvas.height);
  if (!current) return;
  const peaks = current.peaks;
  const mid = canvas.height / 2;
  const played = audio.duration ? audio.currentTime / audio.duration : 0;
  const w = canvas.width / peaks.length;
  // Where de-identification bleeped: shaded behind the waveform.
  g.fillStyle = 'rgba(179, 92, 0, 0.22)';
  for (const [a, b] of current.bleeps) {
    const x0 = (a / current.durationMs) * canvas.width, x1 = (b / current.durationMs) * canvas.width;
    g.fillRect(x0, 0, Math.max(1, x1 - x0), canvas.height);
  }
  for (let i = 0; i < peaks.length; i++) {
    g.fillStyle = i / peaks.length < played ? '#0b57d0' : '#6b7480';
    const h = Math.max(1, peaks[i] * (mid - 2));
    g.fillRect(i * w, mid - h, Math.max(1, w - 0.5), 2 * h);
  }
  g.fillStyle = '#a8201a';
  g.fillRect(played * canvas.width - 1, 0, 2, canvas.height);
}

function tick() {
  const d = audio.duration || 0;
  $('time').textContent = `${audio.currentTime.toFixed(1)} / ${d.toFixed(1)} s`;
  drawWave();
  if (!audio.paused) requestAnimationFrame(tick);
}

// ---- The draft: what the reviewer typed and chose for the clip on screen,
// in this tab's sessionStorage only (gone when the tab closes), never its
// audio. Kept on every edit; cleared on submit, skip, sign-out and whenever
// the clip leaves the page (lease gone or withdrawn, a break).
const DRAFT_KEY = 'earshot.review.draft';

function choices() {
  const out = {};
  for (const q of QUESTIONS) {
    const checked = [...document.getElementsByName(q)].find((r) => r.checked);
    out[q] = checked ? checked.value : null;
  }
  return out;
}

function saveDraft() {
  if (!current) return;
  const draft = { task: current.task.id, transcript: $('transcript').value, choices: choices(), flags: flags(), note: $('note').value };
  try { sessionStorage.setItem(DRAFT_KEY, JSON.stringify(draft)); } catch (e) { /* storage full or off: no draft */ }
}

function readDraft() {
  try { return JSON.parse(sessionStorage.getItem(DRAFT_KEY) || 'null'); } catch (e) { return null; }
}

function clearDraft() {
  try { sessionStorage.removeItem(DRAFT_KEY); } catch (e) { /* nothing kept */ }
}

// Puts the draft back if it belongs to `task`; true when it did.
function restoreDraft(task) {
  const draft = readDraft();
  if (!draft || draft.task !== task.id) return false;
  $('transcript').value = String(draft.transcript || '');
  for (const q of QUESTIONS) {
    for (const r of document.getElementsByName(q)) r.checked = draft.choices && r.value === draft.choices[q];
  }
  for (const c of $('flags').querySelectorAll('input[type=checkbox]')) c.checked = (draft.flags || []).includes(c.value);
  $('note').value = String(draft.note || '');
  summarizeFlags();
  return true;
}

function resetForm(task) {
  $('transcript').value = task.masked_hypothesis || '';
  for (const q of QUESTIONS) for (const r of document.getElementsByName(q)) r.checked = false;
  for (let i = 1; i <= QUESTIONS.length; i++) $(`q${i}`).removeAttribute('aria-invalid');
  for (const c of $('flags').querySelectorAll('input[type=checkbox]')) c.checked = false;
  $('note').value = '';
  $('gold').checked = false;
  summarizeFlags();
}

function show(clip) {
  current = clip;
  $('clip').classList.remove('hidden');
  const bleepedMs = clip.bleeps.reduce((sum, [a, b]) => sum + (b - a), 0);
  const bleeped = bleepedMs > 0
    ? ` · bleeped ${(bleepedMs / 1000).toFixed(1)} s (${Math.round((100 * bleepedMs) / clip.durationMs)}%, shaded)`
    : ' · nothing bleeped';
  $('clip-info').textContent = `Stream ${clip.task.stream} · ${(clip.task.duration_ms / 1000).toFixed(1)} s${bleeped}`;
  resetForm(clip.task);
  showAdjudication(clip.task);
  const restored = restoreDraft(clip.task);
  audio.src = clip.url;
  audio.playbackRate = SPEEDS[speedIndex];
  status(restored ? 'Your draft for this clip was restored.' : '');
  drawWave();
  // Not awaited: the clip is the current one from here on, so a quick
  // Ctrl+Enter is never lost while playback starts.
  audio.play().catch(() => status('Press Esc to play.'));
  $('transcript').focus();
}

async function advance(message = '') {
  clearTimeout(pollTimer);
  dropCurrent();
  const pending = prefetched;
  prefetched = null;
  let next = pending ? await pending : null;
  for (let tries = 0; tries < 3; tries++) {
    if (!next) next = await nextClip().catch((err) => ({ error: err }));
    if (!next || next.error) break;
    // The audio fetch checks the lease: a clip withdrawn meanwhile (consent
    // revoked, the person erased everything, flagged) is never played.
    const ok = await fetchAudio(next).catch((err) => { next = { error: err }; return false; });
    if (ok) {
      show(next);
      if (message) status(message);
      renew();
      prefetch();
      return;
    }
    if (next.error) break;
    next = null;
  }
  $('clip').classList.add('hidden');
  if (next && next.error && next.error.code === 'on_break' && await resumeBreak().catch(() => false)) return;
  if (next && next.error) {
    status(WAIT_MESSAGES[next.error.code] || next.error.message, !WAIT_MESSAGES[next.error.code]);
  } else {
    status((message ? message + ' ' : '') + 'No clips are waiting. Checking again every 5 seconds…');
  }
  pollTimer = setTimeout(advance, 5000);
}

// Forgets the current clip: its audio leaves memory and cannot be replayed.
function dropCurrent() {
  if (!current) return;
  clearDraft();
  audio.pause();
  audio.removeAttribute('src');
  audio.load();
  if (current.url) URL.revokeObjectURL(current.url);
  current = null;
}

// Keeps the current clip's lease alive while the reviewer is working on it,
// and drops the clip as soon as the lease is gone.
let lastActivity = Date.now();
for (const type of ['keydown', 'pointerdown']) document.addEventListener(type, () => { lastActivity = Date.now(); }, true);
async function renew() {
  const clip = current;
  if (!clip || busy) return;
  try {
    if (Date.now() - lastActivity < 120000) {
      await earshot.call('POST', `/api/v1/review/tasks/${clip.task.id}/renew`);
    } else {
      const { tasks } = await earshot.call('GET', '/api/v1/review/leases');
      if (tasks.some((t) => t.id === clip.task.id)) return;
      throw new earshot.ApiError(404, 'no_such_task', 'gone');
    }
  } catch (err) {
    if (err.code === 'no_such_task' && current === clip && !busy) {
      await advance('That clip was withdrawn or its time ran out.');
    }
  }
}
setInterval(renew, 15000);

// The three answers as the API takes them: true, false or "cant_tell";
// null where the reviewer has not answered (the server refuses that).
function answers() {
  const out = {};
  for (const q of QUESTIONS) {
    const checked = [...document.getElementsByName(q)].find((r) => r.checked);
    out[q] = !checked ? null : checked.value === 'cant_tell' ? 'cant_tell' : checked.value === 'yes';
  }
  return out;
}

// Marks the questions left unanswered and says which; true when none is.
function checkAnswered(given) {
  const missing = QUESTIONS.map((q, i) => [q, i]).filter(([q]) => given[q] === null);
  QUESTIONS.forEach((q, i) => {
    const box = $(`q${i + 1}`);
    if (missing.some(([m]) => m === q)) box.setAttribute('aria-invalid', 'true'); else box.removeAttribute('aria-invalid');
  });
  if (!missing.length) return true;
  const names = missing.map(([, i]) => `${i + 1} (Alt+${i + 1})`).join(', ');
  status(`Answer question${missing.length > 1 ? 's' : ''} ${names} before submitting; "Can't tell" is an answer.`, true);
  return false;
}

function flags() {
  return [...$('flags').querySelectorAll('input[type=checkbox]')].filter((c) => c.checked).map((c) => c.value);
}

function summarizeFlags() {
  const f = flags();
  $('flag-summary').textContent = f.length ? `Flags: ${f.join(', ').replace('_', ' ')}` : 'No flags.';
}

let busy = false;
async function submit() {
  if (!current || busy) return;
  const given = answers();
  if (!checkAnswered(given)) return;
  busy = true;
  const started = performance.now();
  try {
    audio.pause();
    const res = await earshot.call('POST', `/api/v1/review/tasks/${current.task.id}/annotation`, {
      transcript: $('transcript').value, ...given, flags: flags(), note: $('note').value,
      ...(isLead && $('gold').checked ? { gold: true } : {}),
    });
    showShift(res.shift);
    audio.addEventListener('playing', () => {
      window.earshotTiming.submits.push(performance.now() - started);
    }, { once: true });
    if (res.break_offered) {
      const take = await offerBreak();
      if (take) return;
    }
    await advance();
  } catch (err) {
    if (err.code === 'no_such_task') {
      await advance('That clip was withdrawn or its time ran out; your answer was not needed.');
    } else {
      status(err.message, true);
    }
  } finally {
    busy = false;
  }
}

const BREAK_WHY = {
  distress: 'You flagged a distressing clip. Take 15 minutes away from the queue; it does not count against you.',
  asked: 'Take 15 minutes away from the queue; it does not count against you. The clips you hold go back to the queue. You can end the break early.',
};

// Asks before a break starts (after a distress flag, or from the header);
// resolves true once one was taken.
function offerBreak(why = 'distress') {
  return new Promise((resolve) => {
    const dialog = $('break');
    $('break-why').textContent = BREAK_WHY[why];
    dialog.returnValue = '';
    dialog.addEventListener('close', async () => {
      if (dialog.returnValue === 'take') {
        await takeBreak();
        resolve(true);
      } else {
        resolve(false);
      }
    }, { once: true });
    dialog.showModal();
  });
}

async function takeBreak() {
  let shift;
  try {
    shift = (await earshot.call('POST', '/api/v1/review/break')).shift;
  } catch (err) {
    status(err.message, true);
    return;
  }
  showShift(shift);
  // The server gave the leases back: neither clip is ours any more.
  prefetched = null;
  resumed = [];
  dropCurrent();
  showBreak(shift.on_break_for_s);
}

// The break's countdown, from the seconds the server says are left; when
// it runs out (or the reviewer ends it) the queue comes back.
let breakTimer = null;
function showBreak(seconds) {
  clearTimeout(pollTimer);
  clearTimeout(breakTimer);
  $('clip').classList.add('hidden');
  $('take-break').classList.add('hidden');
  $('on-break').classList.remove('hidden');
  status('You are on a break. The queue will be back when it ends.');
  const until = Date.now() + seconds * 1000;
  const count = () => {
    const left = Math.max(0, Math.ceil((until - Date.now()) / 1000));
    $('break-left').textContent = `${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')}`;
    if (left > 0) { breakTimer = setTimeout(count, 500); return; }
    hideBreak();
    advance('Your break is over.');
  };
  count();
  $('end-break').focus();
}

function hideBreak() {
  clearTimeout(breakTimer);
  breakTimer = null;
  $('on-break').classList.add('hidden');
  $('take-break').classList.remove('hidden');
}

async function endBreak() {
  try {
    showShift((await earshot.call('POST', '/api/v1/review/break/end')).shift);
  } catch (err) {
    if (err.code !== 'not_on_break') { status(err.message, true); return; }
  }
  hideBreak();
  await advance('Welcome back.');
}

// A break the server knows of (after a reload, or one the page missed).
async function resumeBreak() {
  const { shift } = await earshot.call('GET', '/api/v1/review/shift');
  showShift(shift);
  if (shift.on_break_for_s <= 0) return false;
  showBreak(shift.on_break_for_s);
  return true;
}

async function skip() {
  if (!current || busy) return;
  busy = true;
  try {
    audio.pause();
    await earshot.call('POST', `/api/v1/review/tasks/${current.task.id}/skip`);
    await advance();
  } catch (err) {
    if (err.code === 'no_such_task') await advance('That clip was withdrawn or its time ran out.');
    else status(err.message, true);
  } finally {
    busy = false;
  }
}

function togglePlay() {
  if (!current) return;
  if (audio.paused) audio.play(); else audio.pause();
}

function seek(delta) {
  if (!current || !audio.duration) return;
  audio.currentTime = Math.min(audio.duration, Math.max(0, audio.currentTime + delta));
  tick();
}

function setSpeed(step) {
  speedIndex = Math.min(SPEEDS.length - 1, Math.max(0, speedIndex + step));
  audio.playbackRate = SPEEDS[speedIndex];
  $('speed').textContent = `${SPEEDS[speedIndex].toFixed(2)}×`;
}

function cycleAnswer(i) {
  const radios = [...document.getElementsByName(QUESTIONS[i])];
  const at = radios.findIndex((r) => r.checked);
  for (const r of radios) r.checked = false;
  if (at < radios.length - 1) radios[at + 1].checked = true;  // none → yes → no → can't tell → none
  saveDraft();
  if ($(`q${i + 1}`).hasAttribute('aria-invalid') && checkAnswered(answers())) status('');
}

function openFlags() {
  if (!current) return;
  $('flags').showModal();
  $('flags').querySelector('input').focus();
}

// The flag menu's keys (docs/web.md): 1-4 toggle the flags, the arrows
// move between them, Tab goes from any of them to the note, and Enter
// closes the menu, from the note too (Shift+Enter is a new line there).
function flagMenuKey(e) {
  const boxes = [...$('flags').querySelectorAll('input[type=checkbox]')];
  const inNote = e.target === $('note');
  const at = boxes.indexOf(e.target);
  const n = Number(e.key);
  if (!inNote && n >= 1 && n <= 4) {
    boxes[n - 1].checked = !boxes[n - 1].checked;
  } else if (e.key === 'Enter' && !(inNote && e.shiftKey)) {
    $('flags').close('done');
  } else if (e.key === 'Tab' && !e.shiftKey && at >= 0) {
    $('note').focus();
  } else if ((e.key === 'ArrowDown' || e.key === 'ArrowUp') && at >= 0) {
    boxes[(at + (e.key === 'ArrowDown' ? 1 : boxes.length - 1)) % boxes.length].focus();
  } else {
    return;
  }
  e.preventDefault();
}

document.addEventListener('keydown', (e) => {
  if ($('flags').open) { flagMenuKey(e); return; }
  if ($('break').open) return;
  if (e.key === 'Escape' && !e.altKey && !e.ctrlKey) { e.preventDefault(); togglePlay(); return; }
  if (e.ctrlKey && e.key === 'Enter') { e.preventDefault(); submit(); return; }
  if (!e.altKey || e.ctrlKey || e.metaKey) return;
  const actions = {
    KeyK: togglePlay, KeyJ: () => seek(-1), KeyL: () => seek(1),
    ArrowDown: () => setSpeed(-1), ArrowUp: () => setSpeed(1),
    Digit1: () => cycleAnswer(0), Digit2: () => cycleAnswer(1), Digit3: () => cycleAnswer(2),
    KeyG: openFlags, KeyS: skip,
    KeyM: () => { if (isLead) { $('gold').checked = !$('gold').checked; status($('gold').checked ? 'This clip will be made gold when you submit.' : ''); } },
  };
  const action = actions[e.code];
  if (action) { e.preventDefault(); action(); }
});

$('annotation').addEventListener('change', (e) => {
  if (e.target.type === 'radio' && e.target.closest('fieldset[aria-invalid]') && checkAnswered(answers())) status('');
});
$('flags').addEventListener('close', () => { summarizeFlags(); saveDraft(); $('transcript').focus(); });
$('annotation').addEventListener('input', saveDraft);
$('annotation').addEventListener('change', saveDraft);
$('note').addEventListener('input', saveDraft);
$('annotation').addEventListener('submit', (e) => { e.preventDefault(); submit(); });
$('open-flags').addEventListener('click', openFlags);
$('skip').addEventListener('click', skip);
$('play').addEventListener('click', togglePlay);
$('take-break').addEventListener('click', async () => {
  if (!busy) await offerBreak('asked');
});
$('end-break').addEventListener('click', endBreak);
$('sign-out').addEventListener('click', () => { clearDraft(); earshot.signOut(); });
$('wave').addEventListener('click', (e) => {
  if (!current || !audio.duration) return;
  const rect = e.target.getBoundingClientRect();
  audio.currentTime = ((e.clientX - rect.left) / rect.width) * audio.duration;
  tick();
});
audio.addEventListener('play', () => { $('play').textContent = 'Pause'; tick(); });
audio.addEventListener('pause', () => { $('play').textContent = 'Play'; tick(); });
audio.addEventListener('loadedmetadata', tick);
audio.preservesPitch = true;
window.addEventListener('resize', drawWave);

// The reviewer's own figures (GET /api/v1/review/me/quality): per stream,
// against the consensus of the other reviews, and on gold clips.
const percent = (v) => `${(100 * v).toFixed(1)}%`;
async function showMyQuality() {
  const { el } = earshot;
  let mine;
  try { mine = await earshot.call('GET', '/api/v1/review/me/quality?days=14'); } catch (e) {
    $('mine-window').textContent = `Your figures could not be loaded: ${e.message}`;
    return;
  }
  $('mine-window').textContent = `${mine.from} to ${mine.to}`;
  const box = $('mine-streams');
  box.replaceChildren();
  if (!mine.streams.length) box.append(el('p', {}, 'No reviews in these days yet.'));
  for (const s of mine.streams) {
    const gold = s.gold_accuracy
      ? `${Math.round(s.gold_accuracy.value * s.gold_reviews)} of ${s.gold_reviews} right (95% interval ${percent(s.gold_accuracy.low)}–${percent(s.gold_accuracy.high)})`
      : 'none yet';
    box.append(el('section', { 'data-stream': s.stream },
      el('h3', {}, s.stream),
      el('dl', {},
        el('dt', {}, 'Reviews'), el('dd', {}, `${s.reviews} (${s.compared} also reviewed by others)`),
        el('dt', {}, 'Word error rate against the others'), el('dd', { class: 'mine-wer' }, s.wer_vs_consensus === null ? '—' : percent(s.wer_vs_consensus)),
        el('dt', {}, 'Answers matching the others'), el('dd', { class: 'mine-grades' }, s.grade_agreement === null ? '—' : percent(s.grade_agreement)),
        el('dt', {}, 'Gold clips'), el('dd', { class: 'mine-gold' }, gold))));
  }
}

(async () => {
  const me = await earshot.session();
  if (!me || (me.role !== 'reviewer' && me.role !== 'lead')) { location.replace('/'); return; }
  isLead = me.role === 'lead';
  for (const e of [$('gold-row'), ...document.querySelectorAll('.lead-only')]) e.classList.toggle('hidden', !isLead);
  $('who').textContent = `Signed in as ${me.pseudonym}`;
  showMyQuality();
  if (await resumeBreak().catch(() => false)) return;
  try {
    resumed = (await earshot.call('GET', '/api/v1/review/leases')).tasks;
  } catch (e) { resumed = []; }
  // The clip a draft was kept for comes first; a draft whose lease ended
  // while the page was away goes.
  const draft = readDraft();
  const at = draft ? resumed.findIndex((t) => t.id === draft.task) : -1;
  if (at > 0) resumed.unshift(...resumed.splice(at, 1));
  if (draft && at < 0) clearDraft();
  await advance();
})();
