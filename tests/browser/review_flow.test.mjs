// The issue-6 journey in a real browser: a reviewer signs in with TOTP and
// reviews three clips with the keyboard only, flagging one as distress; a
// privacy officer sees the case and a second one approves its disclosure;
// the person recorded opens the dashboard, sees which recordings a person
// heard, and erases everything, after which the reviewer never gets their
// clips again. Every response and DOM the reviewer's browser held is
// searched for the identifiers that went in. Screenshots of every page are
// saved as artefacts.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Server, accessibilityProblems, addUser, watchCsp, launch, screenshot, signIn, speak, totp, unlabelledControls, earshot } from './harness.mjs';

const server = new Server();
let browser;
let key, reviewer, officerA, officerB, subjectToken;
const ALICE = 'acct-browser-alice-7731', BOB = 'acct-browser-bob-4410';
// Set once consent is given (review needs consent at capture).
let CAPTURED = '';
// Each request's words show which clip the workstation is on (the prefilled hypothesis).
const REQUESTS = [
  [ALICE, 'SN-BROWSER-A1-99812', 'turn on the kitchen lights'],
  [BOB, 'SN-BROWSER-B1-55120', 'hello my name is daniel miller add milk to my list'],
  [ALICE, 'SN-BROWSER-A2-99813', 'what is the weather like tomorrow'],
  [BOB, 'SN-BROWSER-B2-55121', 'set an alarm please'],
  [ALICE, 'SN-BROWSER-A3-99814', 'play some quiet music'],
  [BOB, 'SN-BROWSER-B3-55122', 'how tall is the eiffel tower'],
  [ALICE, 'SN-BROWSER-A4-99815', 'read me the news headlines'],
];
const aliceWords = ['kitchen', 'weather', 'music', 'headlines'];

before(async () => {
  key = JSON.parse(earshot('stream', 'create', 'browser-stream', '--data', server.data, '--rate', '1')).api_key;
  reviewer = addUser(server.data, 'rev-browser', 'reviewer');
  officerA = addUser(server.data, 'officer-browser-a', 'privacy_officer');
  officerB = addUser(server.data, 'officer-browser-b', 'privacy_officer');
  await server.start();
  for (const u of [reviewer, officerA, officerB]) await server.enrol(u);
  await server.consentToReview(key, [ALICE, BOB]);
  CAPTURED = new Date(Date.now() - 500).toISOString().replace(/\.\d+Z$/, 'Z');
  for (const [account, serial, text] of REQUESTS) {
    await server.postRecording(key, speak(text), { account, device_serial: serial, captured_at: CAPTURED, locale: 'en-US', hypothesis: { text } });
  }
  subjectToken = (await server.api('POST', '/api/v1/subject-tokens', { bearer: key, body: { account: ALICE } })).token;
  await server.waitForQueued(REQUESTS.length);
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
  await server.stop();
});

const transcriptOf = (page) => page.inputValue('#transcript');
const isAlice = (text) => aliceWords.some((w) => text.includes(w));

async function waitForNewClip(page, previous) {
  await page.waitForFunction((prev) => {
    const t = document.getElementById('transcript');
    const audio = document.getElementById('audio');
    return !document.getElementById('clip').classList.contains('hidden') && t.value !== prev && !audio.paused;
  }, previous, { timeout: 20000 });
  return transcriptOf(page);
}

test('reviewer, officers and the person recorded, end to end', async () => {
  // ---- The reviewer: keyboard only after signing in. -----------------------
  const reviewerContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const seen = [];  // every response the reviewer's browser received
  reviewerContext.on('response', async (res) => {
    let body = '';
    try { body = (await res.body()).toString('latin1'); } catch (e) { /* redirects have none */ }
    seen.push(`${res.status()} ${res.url()}\n${JSON.stringify(res.headers())}\n${body}`);
  });
  const page = await reviewerContext.newPage();
  const csp = watchCsp(page);
  await page.goto(server.base + '/');
  assert.deepEqual(await unlabelledControls(page), [], 'every control on the sign-in page is labelled');
  assert.deepEqual(await accessibilityProblems(page), [], 'sign-in contrast and focus order');
  await screenshot(page, 'sign-in');
  await signIn(page, server.base, reviewer, totp(reviewer.secret, 1));
  await page.waitForSelector('#who:has-text("Signed in as")');
  const pseudonym = (await page.textContent('#who')).replace('Signed in as ', '').trim();
  assert.match(pseudonym, /^reviewer-[a-z2-7]+$/);
  let text = await waitForNewClip(page, '');
  await page.waitForSelector('#shift:has-text("0 / 600 clips this shift")');
  // The clip line says how much was bleeped (issue 12; the waveform shades it).
  assert.match(await page.textContent('#clip-info'),
    /^Stream browser-stream · \d+\.\d s · (nothing bleeped|bleeped \d+\.\d s \(\d+%, shaded\))$/);
  await screenshot(page, 'workstation');
  assert.deepEqual(await unlabelledControls(page), [], 'every control on the workstation is labelled');
  assert.deepEqual(await accessibilityProblems(page), [], 'workstation contrast and focus order');

  // Playback keys: pause, seek, speed.
  await page.keyboard.press('Escape');
  assert.equal(await page.evaluate(() => document.getElementById('audio').paused), true, 'Esc pauses');
  const t0 = await page.evaluate(() => document.getElementById('audio').currentTime);
  await page.keyboard.press('Alt+KeyL');
  const t1 = await page.evaluate(() => document.getElementById('audio').currentTime);
  assert.ok(t1 > t0, `Alt+L seeks forward (${t0} → ${t1})`);
  await page.keyboard.press('Alt+ArrowUp');
  assert.equal(await page.textContent('#speed'), '1.25×');
  await page.keyboard.press('Alt+ArrowDown');
  await page.keyboard.press('Alt+ArrowDown');
  assert.equal(await page.textContent('#speed'), '0.75×');
  await page.keyboard.press('Escape');

  const reviewed = [];
  for (let i = 0; i < 3; i++) {
    reviewed.push(text);
    await page.keyboard.press('Control+A');
    await page.keyboard.type(`reviewer heard ${text}`);
    await page.keyboard.press('Alt+Digit1');  // intended: yes
    await page.keyboard.press('Alt+Digit2');
    await page.keyboard.press('Alt+Digit2');  // heard accurately: no
    await page.keyboard.press('Alt+Digit3');  // responded appropriately: yes
    assert.equal(await page.isChecked('#q2 input[value=no]'), true);
    if (i === 1) {
      // Issue 13, item 9: the keys docs/web.md gives for the flag menu; Tab
      // from the flags reaches the note, and Enter in it closes the menu.
      await page.keyboard.press('Alt+KeyG');
      await page.keyboard.press('1');  // distress
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement.id), 'note', 'Tab goes to the note');
      await page.keyboard.type('sounds frightened');
      await page.keyboard.press('Shift+Enter');
      await page.keyboard.type('asks for help');
      assert.deepEqual(await accessibilityProblems(page), [], 'flag menu contrast');
      await screenshot(page, 'workstation-flag-menu');
      await page.keyboard.press('Enter');
      await page.waitForSelector('#flag-summary:has-text("distress")');
      assert.equal(await page.evaluate(() => document.getElementById('flags').open), false, 'Enter in the note closes');
      assert.equal(await page.inputValue('#note'), 'sounds frightened\nasks for help', 'Shift+Enter is the only new line');
      assert.equal(await page.isChecked('#flags input[value=distress]'), true);
      assert.equal(await page.isChecked('#flags input[value=intimate]'), false, 'the arrows move, not toggle');
    }
    const typed = await transcriptOf(page);
    await page.keyboard.press('Control+Enter');
    if (i === 1) {
      await page.waitForSelector('#break[open]');
      await screenshot(page, 'workstation-break-offer');
      await page.keyboard.press('Escape');  // keep reviewing
    }
    text = await waitForNewClip(page, typed);
  }
  assert.match(await page.textContent('#shift'), /^3 \/ 600 clips this shift$/);
  assert.equal(await page.evaluate(() => sessionStorage.getItem('earshot.review.draft')), null,
    'a submitted clip leaves no draft (issue 13, item 5)');
  const timings = await page.evaluate(() => window.earshotTiming.submits);
  console.log(`submit → next clip playing (ms): ${timings.map((t) => t.toFixed(1)).join(', ')}`);

  // ---- Privacy officers: the case, then the four-eyes disclosure. ---------
  const officerPage = await (await browser.newContext()).newPage();
  const officerCsp = watchCsp(officerPage);
  await signIn(officerPage, server.base, officerA, totp(officerA.secret, 1));
  await officerPage.waitForSelector('.case');
  const cases = await officerPage.$$('.case');
  assert.equal(cases.length, 1, 'exactly one distress case');
  assert.match(await officerPage.textContent('.case'), /sounds frightened\s+asks for help/, 'the note as typed');
  await officerPage.click('.case button:has-text("Request disclosure")');
  await officerPage.fill('#disclose-reason', 'risk to life');
  await officerPage.click('#disclose-ok');
  await officerPage.waitForSelector('.case :text("awaiting a second officer (you cannot approve your own request)")');
  assert.equal(await officerPage.$('.case button:has-text("Approve disclosure")'), null, 'the requester cannot approve');
  await officerPage.waitForSelector('#audit .okmsg');
  assert.deepEqual(await accessibilityProblems(officerPage), [], 'officer console contrast');
  await screenshot(officerPage, 'console-privacy-officer');
  const secondPage = await (await browser.newContext()).newPage();
  await signIn(secondPage, server.base, officerB, totp(officerB.secret, 1));
  // Issue 13, item 1: the approver reads the reason, confirms, and then
  // sees the final state; the account is shown once, with the audit
  // reference, and a reload shows the case disclosed without it.
  await secondPage.waitForSelector('.case :text("risk to life")');
  await secondPage.click('.case button:has-text("Approve disclosure")');
  await secondPage.waitForSelector('#approve[open]');
  assert.equal(await secondPage.textContent('#approve-reason'), 'risk to life');
  await secondPage.click('#approve button[value=cancel]');
  assert.equal(await secondPage.textContent('#disclosure-result'), '', 'cancel discloses nothing');
  await secondPage.click('.case button:has-text("Approve disclosure")');
  await screenshot(secondPage, 'console-approve-disclosure');
  await secondPage.click('#approve-ok');
  await secondPage.waitForSelector('#disclosure-result .disclosed');
  const disclosed = await secondPage.textContent('#disclosure-result');
  assert.match(disclosed, /account (acct-browser-alice-7731|acct-browser-bob-4410) \(tenant default\)/);
  assert.match(disclosed, /Audit reference: event #\d+ \(escalation\.disclose\)/);
  const showsFinal = async () => {
    await secondPage.waitForSelector('.case[data-state=disclosed] :text("Disclosed.")');
    assert.equal(await secondPage.$('.case button:has-text("Approve disclosure")'), null, 'nothing left to approve');
    assert.equal(await secondPage.$('.case button:has-text("Request disclosure")'), null);
    assert.match(await secondPage.textContent('.case'), /approved by officer-[a-z2-7]+/);
  };
  await showsFinal();
  await secondPage.reload();
  await showsFinal();
  assert.doesNotMatch(await secondPage.content(), /acct-browser-(alice|bob)/, 'the account is shown once');
  await officerPage.reload();
  await officerPage.waitForSelector('.case[data-state=disclosed]');
  assert.doesNotMatch(await officerPage.content(), /acct-browser-(alice|bob)/, 'never to the requester');

  // ---- The person recorded: what a person heard, then erase everything. ---
  const subject = await (await browser.newContext()).newPage();
  const subjectCsp = watchCsp(subject);
  await subject.goto(`${server.base}/privacy#token=${subjectToken}`);
  await subject.waitForSelector('#recordings table');
  assert.equal(new URL(subject.url()).hash, '', 'the token leaves the address bar');
  const rows = await subject.$$eval('#recordings tbody tr', (trs) => trs.map((tr) => ({ heard: tr.className, text: tr.textContent })));
  assert.equal(rows.length, 4, "Alice's four recordings");
  const heard = rows.filter((r) => r.heard === 'heard');
  assert.ok(heard.length >= 2, 'the two clips reviewed show as heard');
  assert.ok(heard.every((r) => r.text.includes(pseudonym)), 'under the reviewer pseudonym');
  assert.ok(rows.some((r) => r.heard === 'unheard'), 'a recording not yet sent to anyone shows as not heard');
  assert.deepEqual(await unlabelledControls(subject), []);
  assert.deepEqual(await accessibilityProblems(subject), [], 'dashboard contrast and focus order');
  await screenshot(subject, 'privacy-dashboard');
  await subject.click('#erase-all');
  await screenshot(subject, 'privacy-dashboard-confirm');
  await subject.click('#confirm-delete');
  await subject.waitForSelector('#status:has-text("Everything has been deleted.")');

  // ---- The reviewer's queue no longer holds any of Alice's clips. ---------
  const after = [];
  for (;;) {
    for (const key of ['Alt+Digit1', 'Alt+Digit2', 'Alt+Digit3']) await page.keyboard.press(key);
    await page.keyboard.press('Control+Enter');
    const next = await page.waitForFunction((prev) => {
      const t = document.getElementById('transcript').value;
      const hidden = document.getElementById('clip').classList.contains('hidden');
      if (hidden) return { done: true };
      return t !== prev && !document.getElementById('audio').paused ? { text: t } : null;
    }, text, { timeout: 20000 }).then((h) => h.jsonValue()).catch(async (err) => {
      await screenshot(page, 'workstation-stuck');
      throw new Error(`${err.message}; status "${await page.textContent('#status')}", transcript "${await transcriptOf(page)}"`);
    });
    if (next.done) break;
    text = next.text;
    after.push(text);
  }
  assert.ok(after.length >= 1, "Bob's remaining clips still come");
  assert.deepEqual(after.filter(isAlice), [], `no clip of the erased person after erasure: ${after}`);
  assert.match(await page.textContent('#status'), /No clips are waiting/);

  // ---- Nothing identifying reached the reviewer's browser. ----------------
  const dom = await page.content();
  const haystack = seen.join('\n') + dom;
  const capturedMs = Date.parse(CAPTURED);
  for (const secret of [ALICE, BOB, ...REQUESTS.map((r) => r[1]), 'daniel', 'miller', CAPTURED.slice(0, 19),
    CAPTURED.slice(11, 19), String(capturedMs), String(capturedMs / 1000)]) {
    assert.equal(haystack.toLowerCase().includes(secret.toLowerCase()), false, `the reviewer's browser saw ${secret}`);
  }
  assert.ok(seen.length > 20, `the reviewer's responses were collected (${seen.length})`);
  assert.deepEqual([...csp, ...officerCsp, ...subjectCsp], [], 'no page breaks its own Content-Security-Policy');
});
