// The reviewer workstation: the next clip plays on arrival, the one after it
// is leased and fetched while this one is reviewed (so submit-to-next-playing
// is a swap of already-fetched audio), and everything works from the keyboard.
// Each clip's audio is fetched once and played from memory, so seeking and
// replaying never count as new plays.
'use strict';

const $ = (id) => document.getElementById(id);
const audio = $('audio');
const SPEEDS = [0.5, 0.75, 1, 1.25, 1.5, 1.75, 2];
const QUESTIONS = ['intended', 'heard_accurately', 'responded_appropriately'];

let current = null;      // {task, url, peaks}
let prefetched = null;   // Promise of the next clip, or null
let resumed = [];        // tasks this reviewer already held when the page loaded
let speedIndex = 2;
let pollTimer = null;
window.earshotTiming = { submits: [] };  // submit → next clip playing, ms (read by the benchmark)

function status(text, isError = false) {
  $('status').textContent = text;
  $('status').className = isError ? 'error' : '';
}

function showShift(shift) {
  if (!shift) return;
  $('shift').textContent = `${shift.done} / ${shift.cap} clips this shift`;
}

async function refreshShift() {
  try { showShift((await earshot.call('GET', '/api/v1/review/shift')).shift); } catch (e) { /* shown on next call */ }
}

// Fetches a task's audio (one play) and its peaks.
async function loadClip(task) {
  const [res, peaks] = await Promise.all([
    earshot.call('GET', task.audio_url, undefined, { raw: true }),
    earshot.call('GET', `/api/v1/review/tasks/${task.id}/peaks?n=600`),
  ]);
  const blob = await res.blob();
  return { task, url: URL.createObjectURL(blob), peaks: peaks.peaks };
}

const WAIT_MESSAGES = {
  on_break: 'You are on a break. The queue will be back when it ends.',
  shift_cap_reached: 'You have reviewed the most clips allowed this shift. Thank you.',
  distress_cap_reached: 'You have heard the most distressing clips allowed this shift. Please stop for today.',
};

// The next clip: one held from before a reload, else a new lease.
async function nextClip() {
  const task = resumed.length ? resumed.shift() : (await earshot.call('POST', '/api/v1/review/next')).task;
  return task ? loadClip(task) : null;
}

// Whether the prefetched clip's task is still leased to this reviewer.
async function stillLeased(clip) {
  try {
    const { tasks } = await earshot.call('GET', '/api/v1/review/leases');
    return tasks.some((t) => t.id === clip.task.id);
  } catch (e) {
    return false;
  }
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

function resetForm(task) {
  $('transcript').value = task.masked_hypothesis || '';
  for (const q of QUESTIONS) for (const r of document.getElementsByName(q)) r.checked = false;
  for (const c of $('flags').querySelectorAll('input[type=checkbox]')) c.checked = false;
  $('note').value = '';
  summarizeFlags();
}

function show(clip) {
  if (current) URL.revokeObjectURL(current.url);
  current = clip;
  $('clip').classList.remove('hidden');
  $('clip-info').textContent = `Stream ${clip.task.stream} · ${(clip.task.duration_ms / 1000).toFixed(1)} s`;
  resetForm(clip.task);
  audio.src = clip.url;
  audio.playbackRate = SPEEDS[speedIndex];
  status('');
  drawWave();
  // Not awaited: the clip is the current one from here on, so a quick
  // Ctrl+Enter is never lost while playback starts.
  audio.play().catch(() => status('Press Esc to play.'));
  $('transcript').focus();
}

async function advance() {
  clearTimeout(pollTimer);
  const pending = prefetched;
  prefetched = null;
  let next = pending ? await pending : null;
  if (next && !next.error && !(await stillLeased(next))) {
    // Withdrawn meanwhile (consent revoked, erased, flagged): never play it.
    URL.revokeObjectURL(next.url);
    next = null;
  }
  if (!next) next = await nextClip().catch((err) => ({ error: err }));
  if (next && !next.error) {
    show(next);
    prefetch();
    return;
  }
  if (current) URL.revokeObjectURL(current.url);
  current = null;
  audio.removeAttribute('src');
  $('clip').classList.add('hidden');
  if (next && next.error) {
    status(WAIT_MESSAGES[next.error.code] || next.error.message, !WAIT_MESSAGES[next.error.code]);
  } else {
    status('No clips are waiting. Checking again every 5 seconds…');
  }
  pollTimer = setTimeout(advance, 5000);
}

function answers() {
  const out = {};
  for (const q of QUESTIONS) {
    const checked = [...document.getElementsByName(q)].find((r) => r.checked);
    out[q] = checked ? checked.value === 'yes' : null;
  }
  return out;
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
  busy = true;
  const started = performance.now();
  try {
    audio.pause();
    const res = await earshot.call('POST', `/api/v1/review/tasks/${current.task.id}/annotation`, {
      transcript: $('transcript').value, ...answers(), flags: flags(), note: $('note').value,
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
    status(err.message, true);
  } finally {
    busy = false;
  }
}

function offerBreak() {
  return new Promise((resolve) => {
    const dialog = $('break');
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
  try {
    showShift((await earshot.call('POST', '/api/v1/review/break')).shift);
  } catch (err) {
    status(err.message, true);
    return;
  }
  prefetched = null;
  resumed = [];
  await advance();
}

async function skip() {
  if (!current || busy) return;
  busy = true;
  try {
    audio.pause();
    await earshot.call('POST', `/api/v1/review/tasks/${current.task.id}/skip`);
    await advance();
  } catch (err) {
    status(err.message, true);
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
  if (at < radios.length - 1) radios[at + 1].checked = true;  // none → yes → no → none
}

function openFlags() {
  if (!current) return;
  $('flags').showModal();
  $('flags').querySelector('input').focus();
}

document.addEventListener('keydown', (e) => {
  const flagDialog = $('flags');
  if (flagDialog.open) {
    const n = Number(e.key);
    if (e.target.tagName !== 'TEXTAREA' && n >= 1 && n <= 4) {
      const box = flagDialog.querySelectorAll('input[type=checkbox]')[n - 1];
      box.checked = !box.checked;
      e.preventDefault();
    } else if (e.key === 'Enter' && e.target.tagName !== 'TEXTAREA') {
      e.preventDefault();
      flagDialog.close('done');
    }
    return;
  }
  if ($('break').open) return;
  if (e.key === 'Escape' && !e.altKey && !e.ctrlKey) { e.preventDefault(); togglePlay(); return; }
  if (e.ctrlKey && e.key === 'Enter') { e.preventDefault(); submit(); return; }
  if (!e.altKey || e.ctrlKey || e.metaKey) return;
  const actions = {
    KeyK: togglePlay, KeyJ: () => seek(-1), KeyL: () => seek(1),
    ArrowDown: () => setSpeed(-1), ArrowUp: () => setSpeed(1),
    Digit1: () => cycleAnswer(0), Digit2: () => cycleAnswer(1), Digit3: () => cycleAnswer(2),
    KeyG: openFlags, KeyS: skip,
  };
  const action = actions[e.code];
  if (action) { e.preventDefault(); action(); }
});

$('flags').addEventListener('close', () => { summarizeFlags(); $('transcript').focus(); });
$('annotation').addEventListener('submit', (e) => { e.preventDefault(); submit(); });
$('open-flags').addEventListener('click', openFlags);
$('skip').addEventListener('click', skip);
$('play').addEventListener('click', togglePlay);
$('take-break').addEventListener('click', () => takeBreak());
$('sign-out').addEventListener('click', () => earshot.signOut());
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

(async () => {
  const me = await earshot.session();
  if (!me || me.role !== 'reviewer') { location.replace('/'); return; }
  $('who').textContent = `Signed in as ${me.pseudonym}`;
  await refreshShift();
  try {
    resumed = (await earshot.call('GET', '/api/v1/review/leases')).tasks;
  } catch (e) { resumed = []; }
  await advance();
})();
