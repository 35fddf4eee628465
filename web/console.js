// The staff console: leads see quality charts per stream (uPlot, bundled),
// privacy officers the escalation queue with the four-eyes disclosure, the
// audit chain's state and erasure receipts, admins accounts, streams and
// region pauses. Each role sees only its own sections (the API enforces it).
'use strict';

const $ = (id) => document.getElementById(id);
const el = earshot.el;

const SECTIONS = {
  lead: [['quality', 'Quality'], ['agreement', 'Agreement'], ['product', 'Product']],
  privacy_officer: [['escalations', 'Escalations']],
  admin: [['admin', 'Administration'], ['quality', 'Quality'], ['agreement', 'Agreement'], ['product', 'Product']],
};

function status(text, isError = false) {
  $('status').textContent = text;
  $('status').className = isError ? 'error' : 'okmsg';
}

function showSection(id) {
  for (const [sid] of Object.values(SECTIONS).flat()) $(sid).classList.add('hidden');
  $(id).classList.remove('hidden');
  for (const b of $('tabs').querySelectorAll('button')) b.setAttribute('aria-selected', String(b.dataset.id === id));
  LOADERS[id]().catch((err) => status(err.message, true));
}

// ---- Leads: quality over time -------------------------------------------
// [key, title, format, is a share of 0..1]
const SERIES = [
  ['wer', 'Word error rate of the machine hypothesis', (v) => (v * 100).toFixed(1) + '%', true],
  ['heard_accurately', 'Share heard accurately', (v) => (v * 100).toFixed(0) + '%', true],
  ['responded_appropriately', 'Share responded appropriately', (v) => (v * 100).toFixed(0) + '%', true],
  ['reviewed', 'Clips reviewed per hour', (v) => String(v), false],
  ['queue_depth', 'Queue depth', (v) => String(v), false],
  ['accidental_rate', 'Accidental activation rate', (v) => (v * 100).toFixed(1) + '%', true],
  ['bleeped_share', 'Share of clip audio bleeped (over-redaction shows here)', (v) => (v * 100).toFixed(1) + '%', true],
];
const COLOURS = ['#0b57d0', '#a8201a', '#1e6b34', '#7b3fa0', '#b35c00'];

// The automatic window fetches the longest report and draws from its data.
async function loadQuality() {
  const hours = $('q-hours').value;
  const data = await earshot.call('GET', `/api/v1/quality/series?hours=${hours === 'auto' ? 168 : hours}`);
  const box = $('charts');
  box.replaceChildren();
  if (!data.streams.length) { box.append(el('p', { class: 'muted' }, 'No streams yet.')); return; }
  earshotCharts.render(box, data, SERIES, hours, COLOURS);
}
$('q-hours').addEventListener('change', () => loadQuality().catch((e) => status(e.message, true)));

// ---- Leads: reviewer agreement ------------------------------------------
const pct = (v) => (v * 100).toFixed(1) + '%';
const num = (v) => v.toFixed(2);
// [path in a slice, title, format, y range]
const AGREEMENT = [
  [(s) => s.inter_reviewer_wer, 'Word error rate between two reviewers', pct, [0, 1]],
  [(s) => s.alpha.intended, 'Alpha: was the activation intended?', num, [-1, 1]],
  [(s) => s.alpha.heard_accurately, 'Alpha: did the assistant hear the request?', num, [-1, 1]],
  [(s) => s.alpha.responded_appropriately, 'Alpha: did it respond appropriately?', num, [-1, 1]],
];
const estimate = (e, fmt) => (e ? `${fmt(e.value)} (95%: ${fmt(e.low)}–${fmt(e.high)}, ${e.units} clips)` : 'not measurable: too few answers, or all the same');

async function loadAgreement() {
  const select = $('ag-stream');
  await fillStreams(select);  // the stream names a lead may see come with the quality report
  if (!select.value) { $('ag-overall').replaceChildren(el('p', { class: 'muted' }, 'No streams yet.')); return; }
  const data = await earshot.call('GET', `/api/v1/quality/agreement?stream=${encodeURIComponent(select.value)}&days=${$('ag-days').value}`);
  const o = data.overall;
  $('ag-overall').replaceChildren(el('table', { id: 'ag-summary' },
    el('thead', {}, el('tr', {}, el('th', {}, 'Over the window'), el('th', {}, 'Estimate'))),
    el('tbody', {},
      el('tr', {}, el('td', {}, 'Double-reviewed clips'), el('td', {}, String(o.double_reviewed))),
      ...AGREEMENT.map(([get, title, fmt]) => el('tr', {}, el('td', {}, title), el('td', {}, estimate(get(o), fmt)))))));
  const box = $('ag-charts');
  box.replaceChildren();
  const days = data.days.map((d) => d.day);
  for (const [get, title, fmt, range] of AGREEMENT) {
    const figure = el('figure', { class: 'chart', 'aria-label': title }, el('figcaption', {}, el('strong', {}, title)));
    box.append(figure);
    earshotCharts.intervals(figure, days, data.days.map(get), range, fmt);
  }
  const cell = (v, fmt) => el('td', {}, v == null ? '—' : fmt(v));
  const gold = (r) => el('td', {}, r.gold_accuracy ? estimate(r.gold_accuracy, pct) + ` of ${r.gold_reviews}` : '—',
    r.below_others ? el('strong', { class: 'flag-below' }, ' · far below the others') : '');
  $('ag-reviewers').replaceChildren(data.reviewers.length
    ? el('table', { id: 'ag-reviewer-table' },
      el('thead', {}, el('tr', {}, ...['Reviewer', 'Reviews', 'Compared', 'WER vs consensus', 'Answers matching', 'Gold accuracy', 'Gold WER'].map((h) => el('th', {}, h)))),
      el('tbody', {}, ...data.reviewers.map((r) => el('tr', { class: r.below_others ? 'below-others' : '' }, el('td', {}, r.pseudonym), el('td', {}, String(r.reviews)),
        el('td', {}, String(r.compared)), cell(r.wer_vs_consensus, pct), cell(r.grade_agreement, pct), gold(r), cell(r.gold_wer, pct)))))
    : el('p', { class: 'muted' }, 'No reviews in this window.'));
  await loadGold(select.value, data.gold_clips);
}

// Leads: the stream's gold clips (no content), each removable.
async function loadGold(stream, count) {
  const box = $('ag-gold');
  if (!me || me.role !== 'lead') { box.replaceChildren(el('p', { class: 'muted' }, `${count} gold clips on this stream.`)); return; }
  const { gold } = await earshot.call('GET', `/api/v1/quality/gold?stream=${encodeURIComponent(stream)}`);
  if (!gold.length) {
    box.replaceChildren(el('p', { class: 'muted' }, 'No gold clips yet. Mark one in the workstation: adjudicate a disagreement (or review a clip a second time) and tick "Make this clip gold".'));
    return;
  }
  const unmark = (g) => {
    const b = el('button', { type: 'button', class: 'secondary' }, 'Unmark');
    b.addEventListener('click', async () => {
      try {
        await earshot.call('DELETE', `/api/v1/quality/gold/${g.id}`);
        status('Gold mark removed; its open gold tasks were withdrawn.');
        await loadAgreement();
      } catch (err) { status(err.message, true); }
    });
    return b;
  };
  box.replaceChildren(el('table', { id: 'ag-gold-table' },
    el('thead', {}, el('tr', {}, ...['Marked', 'By', 'Served', 'Answered correctly', ''].map((h) => el('th', {}, h)))),
    el('tbody', {}, ...gold.map((g) => el('tr', {}, el('td', {}, earshot.when(g.marked_at)), el('td', {}, g.marked_by),
      el('td', {}, String(g.served)), el('td', {}, g.scored ? `${g.correct} of ${g.scored}` : '—'), el('td', {}, unmark(g)))))));
}
for (const id of ['ag-stream', 'ag-days']) $(id).addEventListener('change', () => loadAgreement().catch((e) => status(e.message, true)));

// ---- Leads: the product's quality, and two date ranges compared ----------
const PRODUCT = [
  [(s) => s.wer, 'Word error rate of the machine against the consensus', pct, [0, 1]],
  [(s) => s.heard_accurately, 'Share heard accurately', pct, [0, 1]],
  [(s) => s.responded_appropriately, 'Share answered appropriately', pct, [0, 1]],
];
const share = (e) => (e ? `${pct(e.value)} (95%: ${pct(e.low)}–${pct(e.high)})` : '—');
const signed = (v) => (v > 0 ? '+' : '') + (v * 100).toFixed(1) + ' pts';

// Fills a stream picker from the quality report once.
async function fillStreams(select) {
  if (select.options.length) return;
  const q = await earshot.call('GET', '/api/v1/quality/series?hours=1');
  for (const s of q.streams) select.append(el('option', { value: s.name }, s.name));
}

async function loadProduct() {
  const select = $('pq-stream');
  await fillStreams(select);
  if (!select.value) { $('pq-table').replaceChildren(el('p', { class: 'muted' }, 'No streams yet.')); return; }
  const data = await earshot.call('GET', `/api/v1/quality/product?stream=${encodeURIComponent(select.value)}&days=${$('pq-days').value}`);
  $('pq-table').replaceChildren(el('table', { id: 'pq-locales' },
    el('thead', {}, el('tr', {}, ...['Locale', 'Clips', 'On one review', ...PRODUCT.map((p) => p[1])].map((h) => el('th', {}, h)))),
    el('tbody', {}, ...data.locales.map((l) => el('tr', {}, el('td', {}, l.locale), el('td', {}, String(l.overall.clips)),
      el('td', {}, String(l.overall.single_review)), ...PRODUCT.map(([get]) => el('td', {}, share(get(l.overall)))))))));
  const box = $('pq-charts');
  box.replaceChildren();
  const all = data.locales[0];
  for (const [get, title, fmt, range] of PRODUCT) {
    const figure = el('figure', { class: 'chart', 'aria-label': `${title}, all locales` }, el('figcaption', {}, el('strong', {}, `${title}, all locales`)));
    box.append(figure);
    earshotCharts.intervals(figure, data.days, all.days.map(get), range, fmt);
  }
  if (!$('pq-a-from').value) {
    // Default comparison: the week before last against last week.
    const day = (back) => new Date(Date.now() - back * 86400000).toISOString().slice(0, 10);
    [$('pq-a-from').value, $('pq-a-to').value, $('pq-b-from').value, $('pq-b-to').value] = [day(13), day(7), day(6), day(0)];
  }
}

async function compareProduct() {
  const range = (a, b) => `${$(a).value}..${$(b).value}`;
  const data = await earshot.call('GET', `/api/v1/quality/product/compare?stream=${encodeURIComponent($('pq-stream').value)}` +
    `&a=${range('pq-a-from', 'pq-a-to')}&b=${range('pq-b-from', 'pq-b-to')}`);
  const change = (e) => {
    if (!e) return el('td', {}, '—');
    const real = e.low > 0 || e.high < 0;
    return el('td', {}, `${signed(e.value)} (95%: ${signed(e.low)} to ${signed(e.high)})`, real ? el('strong', {}, ' · a real change') : '');
  };
  $('pq-compare').replaceChildren(el('table', { id: 'pq-compare-table' },
    el('thead', {}, el('tr', {}, ...['Locale', 'Clips A / B', 'WER A → B', 'WER change', 'Heard accurately change', 'Answered appropriately change'].map((h) => el('th', {}, h)))),
    el('tbody', {}, ...data.locales.map((l) => el('tr', {}, el('td', {}, l.locale), el('td', {}, `${l.a.clips} / ${l.b.clips}`),
      el('td', {}, `${l.a.wer ? pct(l.a.wer.value) : '—'} → ${l.b.wer ? pct(l.b.wer.value) : '—'}`),
      change(l.change.wer), change(l.change.heard_accurately), change(l.change.responded_appropriately))))));
}
for (const id of ['pq-stream', 'pq-days']) $(id).addEventListener('change', () => loadProduct().catch((e) => status(e.message, true)));
$('pq-compare-form').addEventListener('submit', (e) => { e.preventDefault(); compareProduct().catch((err) => status(err.message, true)); });

// ---- Privacy officers ---------------------------------------------------
let caseAudio = null;
let me = null;  // the signed-in member: {role, pseudonym}

// The approver reads the requester's reason and confirms; true to approve.
function confirmApproval(c) {
  return new Promise((resolve) => {
    const d = $('approve');
    $('approve-by').textContent = `${c.disclosure_requested_by} asked to disclose who was recorded${c.disclosure_requested_at ? ' on ' + earshot.when(c.disclosure_requested_at) : ''}.`;
    $('approve-reason').textContent = c.reason || '(no reason recorded)';
    d.returnValue = '';
    d.addEventListener('close', () => resolve(d.returnValue === 'ok'), { once: true });
    d.showModal();
  });
}

// The account, shown once to the officer who approved; never fetched again.
function showDisclosed(r) {
  $('disclosure-result').replaceChildren(el('div', { class: 'card disclosed' },
    el('p', {}, el('strong', {}, 'Disclosed to you, once: '), 'account ', el('code', {}, r.account), ` (tenant ${r.tenant}).`),
    el('p', {}, `Audit reference: event #${r.audit_seq} (escalation.disclose). Hand the account to the responders; it is not shown again, here or anywhere.`)));
}

async function approveCase(c) {
  if (!(await confirmApproval(c))) return;
  try {
    const r = await earshot.call('POST', `/api/v1/escalations/${c.id}/approval`);
    showDisclosed(r);
    status(`Disclosure approved (audit event #${r.audit_seq}).`);
  } catch (err) { status(err.message, true); }
  await loadEscalations().catch((err) => status(err.message, true));
}

// What the card says about the disclosure, by the case's state.
function disclosureLine(c) {
  const reason = c.reason ? el('em', {}, `“${c.reason}”`) : '(none)';
  if (c.state === 'disclosed') {
    return el('p', {}, el('strong', {}, 'Disclosed. '), `Requested by ${c.disclosure_requested_by}, reason `, reason,
      `; approved by ${c.disclosure_approved_by}${c.disclosure_approved_at ? ' on ' + earshot.when(c.disclosure_approved_at) : ''}.`);
  }
  if (c.state !== 'disclosure_requested') return null;
  const mine = me && c.disclosure_requested_by === me.pseudonym;
  return el('p', {}, `Disclosure requested by ${mine ? 'you' : c.disclosure_requested_by}, reason `, reason,
    mine ? '; awaiting a second officer (you cannot approve your own request).' : '; awaiting a second officer: you.');
}

function askReason() {
  return new Promise((resolve) => {
    const d = $('disclose');
    $('disclose-reason').value = '';
    d.returnValue = '';
    d.addEventListener('close', () => resolve(d.returnValue === 'ok' ? $('disclose-reason').value.trim() : ''), { once: true });
    d.showModal();
  });
}

async function caseAction(path, body, done) {
  try {
    const res = await earshot.call('POST', path, body);
    status(done(res));
    await loadEscalations();
  } catch (err) { status(err.message, true); }
}

async function loadEscalations() {
  const { cases } = await earshot.call('GET', '/api/v1/escalations');
  const box = $('cases');
  box.replaceChildren();
  if (!cases.length) box.append(el('p', { class: 'muted' }, 'No open cases.'));
  for (const c of cases) {
    const listen = el('button', { type: 'button', class: 'secondary' }, 'Listen');
    listen.addEventListener('click', async () => {
      try {
        const res = await earshot.call('GET', c.audio_url, undefined, { raw: true });
        if (caseAudio) { caseAudio.pause(); URL.revokeObjectURL(caseAudio.src); }
        caseAudio = new Audio(URL.createObjectURL(await res.blob()));
        await caseAudio.play();
      } catch (err) { status(err.message, true); }
    });
    const request = el('button', { type: 'button' }, 'Request disclosure');
    request.addEventListener('click', async () => {
      const reason = await askReason();
      if (reason) caseAction(`/api/v1/escalations/${c.id}/disclosure`, { reason }, () => 'Disclosure requested; a second officer must approve it.');
    });
    const approve = el('button', { type: 'button' }, 'Approve disclosure…');
    approve.addEventListener('click', () => approveCase(c));
    const close = el('button', { type: 'button', class: 'secondary' }, 'Close case');
    close.addEventListener('click', () => caseAction(`/api/v1/escalations/${c.id}/close`, undefined, () => 'Case closed.'));
    // One action for the disclosure, by state: request it, approve someone
    // else's request, or none (yours waits for another officer; done).
    const mine = me && c.disclosure_requested_by === me.pseudonym;
    const step = c.state === 'open' ? request : c.state === 'disclosure_requested' && !mine ? approve : null;
    box.append(el('div', { class: 'card case', 'data-state': c.state },
      el('p', {}, el('strong', {}, c.overdue ? 'OVERDUE · ' : ''), `Opened ${earshot.when(c.opened_at)} · due ${earshot.when(c.due_at)} · ${(c.duration_ms / 1000).toFixed(1)} s`),
      el('p', {}, 'Reviewer\'s note: ', el('em', {}, c.note || '(none)')),
      el('p', { class: 'muted' }, `What the machine heard: ${c.masked_hypothesis || '(nothing)'}`),
      disclosureLine(c),
      el('p', { class: 'row' }, listen, step, close)));
  }
  await Promise.all([loadAudit(), loadErasures(), loadTrainingExports()]);
}

async function loadAudit() {
  const a = await earshot.call('GET', '/api/v1/audit/status');
  const n = a.anchor;
  const anchored = n.heads
    ? `${n.heads} head${n.heads === 1 ? '' : 's'} anchored outside the database, the last (#${n.last_seq}) ${earshot.when(n.last_at)}`
    : 'no head anchored outside the database yet';
  if (a.ok) {
    $('audit').replaceChildren(el('p', { class: 'okmsg' },
      `Chain intact: ${a.events} events, head #${a.head_seq} ${a.head_hash.slice(0, 16)}…; ${anchored}${n.heads ? ', all present' : ''}.`));
    return;
  }
  $('audit').replaceChildren(...[
    a.reason && el('p', { class: 'error' }, `Chain BROKEN${a.broken_at ? ` at event #${a.broken_at}` : ''} (${a.reason}).`),
    !n.ok && el('p', { class: 'error' },
      `Anchor check FAILED (${n.reason}${n.seq ? ` at event #${n.seq}` : ''}); ${n.problems} problem(s); ${anchored}.`),
  ].filter(Boolean));
}

async function loadErasures() {
  const { erasures } = await earshot.call('GET', '/api/v1/erasures');
  const box = $('erasures');
  box.replaceChildren();
  if (!erasures.length) { box.append(el('p', { class: 'muted' }, 'No erasures yet.')); return; }
  box.append(el('table', {}, el('thead', {}, el('tr', {}, ...['Receipt', 'Scope', 'State', 'Requested', 'Completed'].map((h) => el('th', {}, h)))),
    el('tbody', {}, ...erasures.map((e) => el('tr', {}, el('td', {}, e.id), el('td', {}, e.scope), el('td', {}, e.state),
      el('td', {}, earshot.when(e.requested_at)), el('td', {}, e.completed_at ? earshot.when(e.completed_at) : '—'))))));
}

async function loadTrainingExports() {
  const { exports } = await earshot.call('GET', '/api/v1/training-exports');
  const box = $('training-exports');
  box.replaceChildren();
  if (!exports.length) { box.append(el('p', { class: 'muted' }, 'No training exports yet.')); return; }
  const heads = ['Export', 'Stream', 'Format', 'By', 'State', 'Utterances', 'Tombstones', 'When'];
  box.append(el('table', { id: 'training-exports-table', 'aria-labelledby': 'exports-h' },
    el('thead', {}, el('tr', {}, ...heads.map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, ...exports.map((x) => el('tr', { 'data-state': x.state },
      el('td', {}, x.id), el('td', {}, x.stream), el('td', {}, x.format), el('td', {}, x.by),
      el('td', {}, x.state), el('td', {}, String(x.utterances)), el('td', {}, String(x.tombstones)),
      el('td', {}, earshot.when(x.at)))))));
}

// ---- Admins -------------------------------------------------------------
function confirmDisable(m) {
  return new Promise((resolve) => {
    const d = $('confirm-disable');
    $('confirm-disable-what').textContent = `${m.name} (${m.role.replace('_', ' ')}, ${m.pseudonym}) is signed out now and cannot sign in until an admin enables the account again.`;
    d.returnValue = '';
    d.addEventListener('close', () => resolve(d.returnValue === 'ok'), { once: true });
    d.showModal();
  });
}

async function staffAction(path, m, done) {
  try { await earshot.call('POST', path, { name: m.name }); status(done); } catch (err) { status(err.message, true); }
  await loadAdmin().catch((err) => status(err.message, true));
}

// The account's one action: none for yourself; disable (after a
// confirmation) or enable. The server keeps the last admin and two officers.
function accountAction(m) {
  if (me && m.pseudonym === me.pseudonym) return el('span', { class: 'muted' }, 'you');
  if (m.disabled) {
    if (m.role !== 'reviewer' && m.role !== 'lead') return el('span', { class: 'muted' }, 'enable on the host');
    const enable = el('button', { type: 'button', class: 'secondary' }, 'Enable');
    enable.addEventListener('click', () => staffAction('/api/v1/admin/staff/enable', m, `Enabled ${m.name}.`));
    return enable;
  }
  const disable = el('button', { type: 'button', class: 'danger' }, 'Disable…');
  disable.addEventListener('click', async () => {
    if (await confirmDisable(m)) await staffAction('/api/v1/admin/staff/disable', m, `Disabled ${m.name}.`);
  });
  return disable;
}

async function loadAdmin() {
  const [staff, streams, regions] = await Promise.all([
    earshot.call('GET', '/api/v1/admin/staff'),
    earshot.call('GET', '/api/v1/admin/streams'),
    earshot.call('GET', '/api/v1/admin/regions'),
  ]);
  $('accounts').replaceChildren(el('table', {},
    el('thead', {}, el('tr', {}, ...['Name', 'Role', 'Pseudonym', 'State', ''].map((h) => el('th', {}, h)))),
    el('tbody', {}, ...staff.staff.map((m) => el('tr', { 'data-name': m.name }, el('td', {}, m.name), el('td', {}, m.role),
      el('td', {}, m.pseudonym), el('td', {}, m.disabled ? 'disabled' : m.enrolled ? 'active' : 'not enrolled yet'),
      el('td', {}, accountAction(m)))))));
  $('streams').replaceChildren(el('table', {},
    el('thead', {}, el('tr', {}, ...['Name', 'Region', 'Sampling', 'Wake word', 'Longest clip', 'Retention', 'Anonymization'].map((h) => el('th', {}, h)))),
    el('tbody', {}, ...streams.streams.map((s) => el('tr', {}, el('td', {}, s.name), el('td', {}, s.region),
      el('td', {}, `${(s.sample_rate * 100).toFixed(0)}%`), el('td', {}, s.wake_word || '—'), el('td', {}, `${s.max_clip_s} s`),
      el('td', {}, s.retention_default), el('td', {}, s.anonymize_chain))))));
  const rbox = $('regions');
  rbox.replaceChildren();
  if (!regions.paused.length) rbox.append(el('p', { class: 'muted' }, 'No region is paused.'));
  for (const r of regions.paused) {
    const resume = el('button', { type: 'button', class: 'secondary' }, `Resume ${r}`);
    resume.addEventListener('click', async () => {
      try { await earshot.call('POST', '/api/v1/admin/regions/resume', { region: r }); await loadAdmin(); } catch (err) { status(err.message, true); }
    });
    rbox.append(el('p', { class: 'row' }, el('strong', {}, `${r} paused`), resume));
  }
}

// The TOTP key in groups of four for reading aloud and typing; the groups
// are spaced by CSS, not by characters, so a selection (one click selects
// it all) copies the key as apps take it.
function totpKey(key) {
  const groups = key.match(/.{1,4}/g) || [];
  return el('code', { id: 'totp-key', class: 'totp-key' }, ...groups.map((g) => el('span', {}, g)));
}

$('add-user').addEventListener('submit', async (e) => {
  e.preventDefault();
  try {
    const r = await earshot.call('POST', '/api/v1/admin/staff', { name: $('au-name').value, role: $('au-role').value });
    const img = el('img', { src: 'data:image/svg+xml,' + encodeURIComponent(r.totp_qr_svg), alt: 'QR code to scan with an authenticator app', width: '200', height: '200' });
    $('enrolment').replaceChildren(el('div', { class: 'card' },
      el('p', {}, el('strong', {}, `Give these to ${r.name} in person; they are shown once.`)),
      img, el('p', {}, 'No camera? Type this key into the authenticator app (time-based, 6 digits): ', totpKey(r.totp_secret)),
      el('p', {}, 'Enrolment secret: ', el('code', {}, r.enrolment_secret)),
      el('p', {}, 'Recovery codes: ', el('code', {}, r.recovery_codes.join(' ')))));
    await loadAdmin();
  } catch (err) { status(err.message, true); }
});

$('add-stream').addEventListener('submit', async (e) => {
  e.preventDefault();
  try {
    const r = await earshot.call('POST', '/api/v1/admin/streams', {
      name: $('st-name').value, region: $('st-region').value, sample_rate: Number($('st-rate').value),
      wake_word: $('st-wake').value || null, max_clip_s: Number($('st-max').value),
      retention_default: $('st-retention').value, anonymize_chain: $('st-chain').value });
    $('stream-result').replaceChildren(r.api_key
      ? el('p', {}, 'Created. Its API key (shown once): ', el('code', {}, r.api_key))
      : el('p', { class: 'okmsg' }, 'Saved.'));
    await loadAdmin();
  } catch (err) { status(err.message, true); }
});

$('pause-region').addEventListener('submit', async (e) => {
  e.preventDefault();
  try { await earshot.call('POST', '/api/v1/admin/regions/pause', { region: $('rg-code').value.trim() }); await loadAdmin(); } catch (err) { status(err.message, true); }
});

const LOADERS = { quality: loadQuality, agreement: loadAgreement, product: loadProduct, escalations: loadEscalations, admin: loadAdmin };

$('sign-out').addEventListener('click', () => earshot.signOut());

(async () => {
  me = await earshot.session();
  if (!me || !SECTIONS[me.role]) { location.replace(me && me.role === 'reviewer' ? '/review' : '/'); return; }
  $('who').textContent = `Signed in as ${me.pseudonym} (${me.role.replace('_', ' ')})`;
  if (me.role === 'lead') $('to-workstation').classList.remove('hidden');
  for (const [id, label] of SECTIONS[me.role]) {
    const b = el('button', { type: 'button', class: 'secondary', 'data-id': id, 'aria-selected': 'false' }, label);
    b.addEventListener('click', () => showSection(id));
    $('tabs').append(b);
  }
  showSection(SECTIONS[me.role][0][0]);
})();
