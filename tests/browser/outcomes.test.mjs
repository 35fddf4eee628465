// Issue 15 in a real browser: on a stream that doubles every clip, two
// reviewers review the same clips independently in their workstations (the
// second never sees the first's words), and a lead then sees the figures in
// the console's Agreement section: the clips counted, a point with its
// interval for today, and each reviewer by pseudonym. Screenshots are saved.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Server, accessibilityProblems, addUser, watchCsp, launch, screenshot, signIn, speak, totp, unlabelledControls, earshot } from './harness.mjs';

const server = new Server();
let browser, key, goldKey, lead, alice, bob, goldLead, carol, dave, productLead, officer;
const REQUESTS = ['turn on the kitchen lights', 'what is the weather like tomorrow', 'set an alarm for seven'];

before(async () => {
  key = JSON.parse(earshot('stream', 'create', 'double-stream', '--data', server.data, '--rate', '1', '--double-review', '1')).api_key;
  lead = addUser(server.data, 'lead-outcomes', 'lead');
  alice = addUser(server.data, 'rev-outcomes-a', 'reviewer');
  bob = addUser(server.data, 'rev-outcomes-b', 'reviewer');
  // A stream whose disagreements a lead adjudicates, for the gold test.
  goldKey = JSON.parse(earshot('stream', 'create', 'gold-stream', '--data', server.data, '--rate', '1', '--double-review', '1', '--on-disagreement', 'adjudicate')).api_key;
  goldLead = addUser(server.data, 'lead-gold', 'lead');
  carol = addUser(server.data, 'rev-gold-c', 'reviewer');
  dave = addUser(server.data, 'rev-gold-d', 'reviewer');
  productLead = addUser(server.data, 'lead-product', 'lead');
  officer = addUser(server.data, 'po-outcomes', 'privacy_officer');
  await server.start();
  for (const u of [lead, alice, bob, goldLead, carol, dave, productLead, officer]) await server.enrol(u);
  await server.consentToReview(key, ['acct-outcomes']);
  for (const text of REQUESTS) {
    await server.postRecording(key, speak(text), { account: 'acct-outcomes', device_serial: 'SN-O', captured_at: new Date().toISOString(), locale: 'en-US', hypothesis: { text } });
  }
  await server.waitForQueued(2 * REQUESTS.length);  // two independent tasks a clip
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
  await server.stop();
});

async function nextClip(page, previous) {
  try {
    await page.waitForFunction((prev) => {
      const t = document.getElementById('transcript');
      return !document.getElementById('clip').classList.contains('hidden') && t.value !== prev;
    }, previous, { timeout: 20000 });
  } catch (err) {
    throw new Error(`no next clip after "${previous}"; the page says "${await page.textContent('#status')}"`);
  }
  return page.inputValue('#transcript');
}

// Reviews every clip offered, with the keyboard: the machine's words kept,
// or changed by `edit`; answers yes, yes, and `responded` for the third.
async function reviewAll(user, edit, responded, clips = REQUESTS.length) {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  const seen = [];
  page.on('response', async (res) => { try { seen.push((await res.body()).toString('latin1')); } catch (e) { /* none */ } });
  await signIn(page, server.base, user, totp(user.secret, 1));
  const typed = [];
  let text = await nextClip(page, '');
  for (let i = 0; i < clips; i++) {
    const words = edit(text);
    await page.keyboard.press('Control+A');
    await page.keyboard.type(words);
    await page.keyboard.press('Alt+Digit1');  // intended: yes
    await page.keyboard.press('Alt+Digit2');  // heard accurately: yes
    await page.keyboard.press('Alt+Digit3');
    if (!responded) await page.keyboard.press('Alt+Digit3');  // responded: no
    await page.keyboard.press('Control+Enter');
    typed.push(words);
    if (i < clips - 1) text = await nextClip(page, words);
  }
  await page.waitForSelector(`#shift:has-text("${clips} / 600 clips this shift")`);
  return { page, typed, seen };
}

test('two reviewers review the same clips and a lead sees their agreement', async () => {
  const first = await reviewAll(alice, (t) => `${t} please`, true);
  const second = await reviewAll(bob, (t) => t, false);
  // Bob was offered the same three clips, and nothing of Alice's words.
  assert.equal(new Set(second.typed).size, REQUESTS.length);
  for (const words of first.typed) {
    assert.ok(!second.seen.some((body) => body.includes(words)), `bob never received "${words}"`);
  }
  await screenshot(second.page, 'workstation-second-review');
  // A workstation left open keeps asking for clips: alice is done; bob's
  // stays for his own figures below (no clip is left to take).
  await first.page.context().close();

  const page = await (await browser.newContext({ viewport: { width: 1200, height: 1000 } })).newPage();
  const csp = watchCsp(page);
  await signIn(page, server.base, lead, totp(lead.secret, 1));
  await page.click('#tabs button:has-text("Agreement")');
  await page.waitForSelector('#ag-summary');
  const summary = await page.textContent('#ag-summary');
  assert.match(summary, new RegExp(`Double-reviewed clips\\s*${REQUESTS.length}`));
  // Every transcript pair differs by one word ("please"), so the WER is a
  // share above zero; the third answer always differs.
  assert.match(summary, /Word error rate between two reviewers\s*\d+\.\d% \(95%: /);
  assert.match(summary, /did it respond appropriately\?\s*-?\d\.\d\d \(95%/);
  const points = await page.$$eval('#ag-charts figure', (figs) => figs.map((f) => f.querySelectorAll('circle.estimate').length));
  assert.equal(points.length, 4);
  assert.equal(points[0], 1, 'one day with double-reviewed clips: one point for the WER');
  const rows = await page.$$eval('#ag-reviewer-table tbody tr', (trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent)));
  assert.equal(rows.length, 2);
  for (const [pseudonym, reviews, compared] of rows) {
    assert.match(pseudonym, /^reviewer-[a-z2-7]+$/);
    assert.equal(reviews, String(REQUESTS.length));
    assert.equal(compared, String(REQUESTS.length));
  }
  assert.deepEqual(await unlabelledControls(page), []);
  assert.deepEqual(await accessibilityProblems(page), [], 'agreement section contrast');
  assert.deepEqual(csp, [], 'the interval charts work under the Content-Security-Policy');
  await screenshot(page, 'console-agreement');
  await page.context().close();

  // Item 7: each reviewer sees their own figures, from whole days before
  // today only. A day passes for these reviews (the database is edited, as
  // the server has no clock to turn).
  const mine = second.page;
  await mine.waitForSelector('#mine-streams p:has-text("No reviews in these days yet")');
  execFileSync('sqlite3', [`${server.data}/earshot.db`, "UPDATE annotations SET created_at = created_at - 86400000 WHERE clip_id IN (SELECT c.id FROM clips c JOIN streams s ON s.id = c.stream_id WHERE s.name = 'double-stream')"]);
  await mine.reload();
  await mine.waitForSelector('#mine-streams section[data-stream="double-stream"]');
  const shown = await mine.textContent('#my-quality');
  assert.match(shown, new RegExp(`Reviews${REQUESTS.length} \\(${REQUESTS.length} also reviewed by others\\)`));
  // Bob kept the machine's words; alice added "please" to each clip.
  assert.match(await mine.textContent('.mine-wer'), /^\d+\.\d%$/);
  assert.equal(await mine.textContent('.mine-grades'), '66.7%', 'the third answer always differs');
  assert.equal(await mine.textContent('.mine-gold'), 'none yet');
  const bobPseudonym = (await mine.textContent('#who')).replace('Signed in as ', '');
  const alicePseudonym = rows.map((r) => r[0]).find((p) => p !== bobPseudonym);
  assert.ok(alicePseudonym, 'two pseudonyms in the lead\'s table');
  assert.ok(!(await mine.content()).includes(alicePseudonym), 'nothing of the other reviewer');
  assert.match(await mine.textContent('#marked-notice'), /inaudible mark that names your listen/, 'the reviewer is told clips are marked');
  assert.deepEqual(await accessibilityProblems(mine), [], 'own figures contrast');
  await screenshot(mine, 'workstation-own-quality');
  await mine.context().close();
});

test('a lead adjudicates a disagreement in the workstation, makes the clip gold, and lists it', async () => {
  await server.postRecording(goldKey, speak('play the news'), { account: 'acct-outcomes', device_serial: 'SN-O', captured_at: new Date().toISOString(), locale: 'en-US', hypothesis: { text: 'play the news' } });
  // Carol first settles the first stream's three disagreements (the oldest
  // tasks), then has one of the new clip's two tasks; Dave the other.
  await server.waitForQueued(REQUESTS.length + 2);
  // A workstation left open keeps asking for clips: each closes when done.
  await (await reviewAll(carol, (t) => `${t} please`, true, REQUESTS.length + 1)).page.context().close();
  await (await reviewAll(dave, (t) => t, false, 1)).page.context().close();

  const page = await (await browser.newContext({ viewport: { width: 1280, height: 1000 } })).newPage();
  const csp = watchCsp(page);
  await signIn(page, server.base, goldLead, totp(goldLead.secret, 1));
  await Promise.all([page.waitForURL(/\/review$/), page.click('#to-workstation')]);
  // The adjudication comes first, with both reviews; the gold box is a lead's.
  await page.waitForSelector('#adjudication:not(.hidden)');
  const reviews = await page.$$eval('#adjudication-reviews li', (lis) => lis.map((li) => li.textContent));
  assert.equal(reviews.length, 2);
  assert.match(reviews[0], /^Review 1: .+ please — 1: yes · 2: yes · 3: yes$/, 'the first review, words and answers');
  assert.match(reviews[1], /3: no/);
  assert.ok(await page.isVisible('#gold-row'));
  await page.keyboard.press('Control+A');
  await page.keyboard.type('play the news');
  await page.keyboard.press('Alt+Digit1');
  await page.keyboard.press('Alt+Digit2');
  await page.keyboard.press('Alt+Digit3');
  await page.keyboard.press('Alt+KeyM');
  assert.ok(await page.isChecked('#gold'), 'Alt+M ticks the gold box');
  await screenshot(page, 'workstation-adjudication-gold');
  assert.deepEqual(await unlabelledControls(page), []);
  await page.keyboard.press('Control+Enter');
  await page.waitForSelector('#shift:has-text("1 / 600 clips this shift")');

  await page.goto(server.base + '/console');
  await page.click('#tabs button:has-text("Agreement")');
  await page.selectOption('#ag-stream', 'gold-stream');
  await page.waitForSelector('#ag-gold-table');
  const rows = await page.$$eval('#ag-gold-table tbody tr', (trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent)));
  assert.equal(rows.length, 1);
  assert.match(rows[0][1], /^lead-[a-z2-7]+$/, 'marked by the lead, by pseudonym');
  assert.equal(rows[0][2], '0', 'not served yet');
  assert.deepEqual(await accessibilityProblems(page), [], 'gold section contrast');
  await screenshot(page, 'console-gold');
  await page.click('#ag-gold-table button:has-text("Unmark")');
  await page.waitForSelector('#ag-gold p:has-text("No gold clips yet")');
  assert.deepEqual(csp, []);
});

test('a lead reads the product quality per locale and compares two ranges', async () => {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 1000 } })).newPage();
  const csp = watchCsp(page);
  await signIn(page, server.base, productLead, totp(productLead.secret, 1));
  await page.click('#tabs button:has-text("Product")');
  await page.selectOption('#pq-stream', 'double-stream');
  await page.waitForSelector('#pq-locales tbody tr:nth-child(2)');
  const rows = await page.$$eval('#pq-locales tbody tr', (trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent)));
  assert.deepEqual(rows.map((r) => r[0]), ['all', 'en-US'], 'every request was en-US');
  assert.equal(rows[0][1], String(REQUESTS.length), 'each clip counted once, on its consensus');
  assert.match(rows[0][3], /^\d+\.\d% \(95%: /, 'the machine against the consensus, with its interval');
  assert.equal(await page.$$eval('#pq-charts figure', (f) => f.length), 3);
  // The default ranges: the week before last against last week (today).
  await page.click('#pq-compare-form button[type=submit]');
  await page.waitForSelector('#pq-compare-table');
  const cmp = await page.$$eval('#pq-compare-table tbody tr', (trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent)));
  assert.equal(cmp[0][0], 'all');
  assert.equal(cmp[0][1], `0 / ${REQUESTS.length}`, 'nothing before, every clip this week');
  assert.equal(cmp[0][3], '—', 'no change can be measured against nothing');
  assert.deepEqual(await unlabelledControls(page), []);
  assert.deepEqual(await accessibilityProblems(page), [], 'product section contrast');
  assert.deepEqual(csp, []);
  await screenshot(page, 'console-product');
});

test('a privacy officer reads the log of training exports', async () => {
  // The person recorded allows training; the operator exports the first
  // stream's three consolidated clips on the host.
  await server.api('PUT', '/api/v1/consents', { bearer: key, body: { account: 'acct-outcomes', purposes: { store: true, human_review: true, training: true }, policy_version: '2026-11' } });
  const out = mkdtempSync(join(tmpdir(), 'earshot-export-'));
  const summary = JSON.parse(earshot('export', '--data', server.data, '--stream', 'double-stream', '--format', 'hf', '--out', join(out, 'hf')));
  assert.equal(summary.utterances, REQUESTS.length);
  rmSync(out, { recursive: true, force: true });

  const page = await (await browser.newContext({ viewport: { width: 1280, height: 1000 } })).newPage();
  await signIn(page, server.base, officer, totp(officer.secret, 1));
  await page.waitForSelector('#training-exports-table tbody tr');
  const rows = await page.$$eval('#training-exports-table tbody tr', (trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent)));
  assert.equal(rows.length, 1);
  const [id, stream, format, by, state, utterances, tombstones] = rows[0];
  assert.equal(id, summary.export_id);
  assert.deepEqual([stream, format, by, state, utterances, tombstones], ['double-stream', 'hf', 'operator', 'done', String(REQUESTS.length), '0']);
  assert.deepEqual(await unlabelledControls(page), []);
  assert.deepEqual(await accessibilityProblems(page), [], 'export log contrast');
  await screenshot(page, 'console-training-exports');
  await page.context().close();
});
