// The staff console for leads and admins, the workstation's edges and the
// dashboard's choices: a lead sees the quality charts (uPlot, bundled) after
// reviews happened, over a window chosen from the data and as wide as the
// page, and cannot reach the admin API; an admin adds a reviewer
// (QR code and its key as text, shown once) but not an officer, creates and
// changes a stream and pauses a region (codes in any case, upper-cased); the pages reflow at 200% zoom; a clip withdrawn while on
// screen is dropped; a break costs nothing; the person recorded downloads
// everything, changes consents and retention, and deletes one recording.
// Screenshots are saved.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Server, accessibilityProblems, addUser, watchCsp, launch, screenshot, signIn, speak, totp, unlabelledControls, earshot } from './harness.mjs';

const server = new Server();
let browser, key, lead, admin, reviewer, subjectToken;

before(async () => {
  key = JSON.parse(earshot('stream', 'create', 'console-stream', '--data', server.data, '--rate', '1')).api_key;
  lead = addUser(server.data, 'lead-browser', 'lead');
  admin = addUser(server.data, 'admin-browser', 'admin');
  reviewer = addUser(server.data, 'rev-console', 'reviewer');
  await server.start();
  for (const u of [lead, admin, reviewer]) await server.enrol(u);
  await server.consentToReview(key, ['acct-console']);
  for (const text of ['turn on the lights', 'what time is it']) {
    await server.postRecording(key, speak(text), { account: 'acct-console', device_serial: 'SN-C', captured_at: new Date().toISOString(), locale: 'en-US', hypothesis: { text } });
  }
  subjectToken = (await server.api('POST', '/api/v1/subject-tokens', { bearer: key, body: { account: 'acct-console' } })).token;
  await server.waitForQueued(2);
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
  await server.stop();
});

test('a lead sees quality charts once clips are reviewed', async () => {
  const page = await (await browser.newContext()).newPage();
  await signIn(page, server.base, reviewer, totp(reviewer.secret, 1));
  await page.waitForFunction(() => !document.getElementById('audio').paused);
  // Issue 13, item 3: Ctrl+Enter on a fresh clip is refused, naming what is
  // missing; nothing counts as reviewed.
  await page.waitForSelector('#shift:has-text("0 / 600")');
  await page.keyboard.press('Alt+Digit2');  // heard accurately: yes
  await page.keyboard.press('Control+Enter');
  await page.waitForSelector('#status.error:has-text("Answer questions 1 (Alt+1), 3 (Alt+3) before submitting")');
  assert.equal(await page.getAttribute('#q1', 'aria-invalid'), 'true');
  assert.equal(await page.getAttribute('#q2', 'aria-invalid'), null);
  assert.equal(await page.textContent('#shift'), '0 / 600 clips this shift', 'an unanswered clip is not done');
  // The server refuses it too, whatever a page sends.
  const refused = await page.evaluate(async () => {
    const { csrf_token: csrf } = await (await fetch('/api/v1/staff/me')).json();
    const { tasks } = await (await fetch('/api/v1/review/leases')).json();
    const res = await fetch(`/api/v1/review/tasks/${tasks[0].id}/annotation`, { method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
      body: JSON.stringify({ transcript: 'x', intended: true, heard_accurately: null, responded_appropriately: false }) });
    return { status: res.status, body: await res.json() };
  });
  assert.equal(refused.status, 400);
  assert.equal(refused.body.error.code, 'missing_answer');
  assert.match(refused.body.error.message, /^not answered: heard_accurately \(/);
  await page.keyboard.press('Alt+Digit1');  // intended: yes
  for (let i = 0; i < 3; i++) await page.keyboard.press('Alt+Digit3');  // responded: yes → no → can't tell
  assert.equal(await page.isChecked('#q3 input[value=cant_tell]'), true);
  assert.equal(await page.getAttribute('#q1', 'aria-invalid'), null, 'answering clears the mark');
  await page.keyboard.press('Control+Enter');
  await page.waitForSelector('#shift:has-text("1 / 600")');

  const leadPage = await (await browser.newContext({ viewport: { width: 1200, height: 900 } })).newPage();
  const csp = watchCsp(leadPage);
  await signIn(leadPage, server.base, lead, totp(lead.secret, 1));
  await leadPage.waitForSelector('#charts figure canvas');
  const figures = await leadPage.$$eval('#charts figure', (fs) => fs.map((f) => f.textContent));
  assert.equal(figures.length, 7, 'seven charts');
  // Over-redaction shows in production (issue 12): a share for the stream.
  assert.ok(figures.some((t) => /Share of clip audio bleeped.*console-stream: \d+\.\d%/.test(t)), figures.join('\n'));
  assert.ok(figures.some((t) => /Clips reviewed per hour.*console-stream: 1/.test(t)), figures.join('\n'));
  assert.ok(figures.some((t) => /Share heard accurately.*console-stream: 100%/.test(t)), figures.join('\n'));
  // Issue 13, item 11: with an hour of data the window is chosen from it,
  // not 48 h with a dot at the right edge; shares are points and counts are
  // bars; the charts follow the page's width.
  assert.equal(await leadPage.inputValue('#q-hours'), 'auto');
  const charts = () => leadPage.evaluate(() => earshotCharts.plots.map(({ key, kind, plot }) => {
    const { min, max } = plot.scales.x;
    const at = plot.data[1].findLastIndex((v) => v != null && (kind === 'points' || v > 0));
    return { key, kind, hours: (max - min) / 3600, where: at < 0 ? null : (plot.data[0][at] - min) / (max - min),
      width: plot.width, box: document.getElementById('charts').clientWidth };
  }));
  const drawn = await charts();
  assert.equal(drawn.length, 7);
  for (const c of drawn) {
    assert.ok(c.hours >= 6 && c.hours <= 8, `${c.key}: a window of ${c.hours} h`);
    assert.equal(c.kind, ['reviewed', 'queue_depth'].includes(c.key) ? 'bars' : 'points', c.key);
    assert.equal(c.width, c.box, `${c.key} is as wide as the page's charts`);
  }
  for (const key of ['reviewed', 'heard_accurately']) {
    const { where } = drawn.find((c) => c.key === key);
    assert.ok(where > 0.5 && where < 0.95, `${key}: the latest hour at ${where} of the window, inside it`);
  }
  assert.deepEqual(await accessibilityProblems(leadPage), [], 'lead console contrast');
  await screenshot(leadPage, 'console-lead');
  await leadPage.setViewportSize({ width: 700, height: 900 });
  await leadPage.waitForFunction(() => earshotCharts.plots.every(({ plot }) => plot.width === document.getElementById('charts').clientWidth));
  assert.ok((await charts())[0].width < drawn[0].width, 'narrower with the page');
  await screenshot(leadPage, 'console-lead-narrow');
  await leadPage.selectOption('#q-hours', '48');
  await leadPage.waitForFunction(() => earshotCharts.plots.length === 7 && earshotCharts.plots[0].plot.scales.x.max - earshotCharts.plots[0].plot.scales.x.min === 48 * 3600);
  assert.deepEqual(csp, [], 'the charts work under the Content-Security-Policy');
  // The admin API is not the lead's.
  const status = await leadPage.evaluate(async () => (await fetch('/api/v1/admin/staff')).status);
  assert.equal(status, 403);
});

test('an admin manages accounts, streams and region pauses', async () => {
  const page = await (await browser.newContext({ viewport: { width: 1200, height: 900 } })).newPage();
  const csp = watchCsp(page);
  await signIn(page, server.base, admin, totp(admin.secret, 1));
  await page.waitForSelector('#accounts table');
  assert.deepEqual(await unlabelledControls(page), []);
  const privileged = await page.evaluate(async () => {
    const { csrf_token: csrf } = await (await fetch('/api/v1/staff/me')).json();
    const res = await fetch('/api/v1/admin/staff', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
      body: JSON.stringify({ name: 'sneaky-officer', role: 'privacy_officer' }) });
    return res.status;
  });
  assert.equal(privileged, 403, 'officers are not made from the console (four eyes)');
  await page.fill('#au-name', 'new-reviewer');
  await page.selectOption('#au-role', 'reviewer');
  const [added] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/v1/admin/staff') && r.request().method() === 'POST'),
    page.click('#add-user button[type=submit]')]);
  await page.waitForSelector('#enrolment img');
  const enrolment = await page.textContent('#enrolment');
  assert.match(enrolment, /enr_[A-Za-z0-9_-]{20,}/);
  await page.waitForFunction(() => {
    const img = document.querySelector('#enrolment img');
    return img.complete && img.naturalWidth > 0;
  }, null, { timeout: 5000 });  // the QR code renders
  // Issue 13, item 13: the key is there as text too, in groups of four
  // spaced by the page, and a click selects and copies it whole.
  const secret = new URL((await added.json()).totp_uri).searchParams.get('secret');
  const groups = await page.$$eval('#totp-key span', (spans) => spans.map((e) => e.textContent));
  assert.equal(groups.join(''), secret, 'the key shown is the one in the QR code');
  assert.ok(groups.length >= 8 && groups.every((g, i) => g.length === 4 || i === groups.length - 1), groups.join(' '));
  await page.click('#totp-key');
  assert.equal(await page.evaluate(() => String(window.getSelection())), secret, 'a click selects the key, without spaces');
  await page.waitForSelector('#accounts td:has-text("new-reviewer")');
  // Issue 13, item 2: no Disable on your own row, and the server refuses it
  // anyway; disabling asks first; a disabled reviewer can be enabled.
  assert.equal(await page.$('#accounts tr[data-name="admin-browser"] button'), null, 'no Disable on your own account');
  const self = await page.evaluate(async () => {
    const { csrf_token: csrf } = await (await fetch('/api/v1/staff/me')).json();
    const res = await fetch('/api/v1/admin/staff/disable', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
      body: JSON.stringify({ name: 'admin-browser' }) });
    return { status: res.status, body: await res.json() };
  });
  assert.equal(self.status, 409);
  assert.equal(self.body.error.code, 'disable_self');
  const row = '#accounts tr[data-name="new-reviewer"]';
  await page.click(`${row} button:has-text("Disable")`);
  await page.waitForSelector('#confirm-disable[open]');
  assert.match(await page.textContent('#confirm-disable-what'), /^new-reviewer \(reviewer, reviewer-[a-z2-7]+\) is signed out now/);
  await page.click('#confirm-disable button[value=cancel]');
  assert.equal(await page.textContent(`${row} td:nth-child(4)`), 'not enrolled yet', 'Cancel keeps the account');
  await page.click(`${row} button:has-text("Disable")`);
  await screenshot(page, 'console-admin-confirm-disable');
  await page.click('#confirm-disable-ok');
  await page.waitForSelector(`${row} td:has-text("disabled")`);
  await page.click(`${row} button:has-text("Enable")`);
  await page.waitForSelector(`${row} td:has-text("not enrolled yet")`);
  assert.match(await page.textContent('#status'), /Enabled new-reviewer\./);
  await page.fill('#st-name', 'assistant-de-DE');
  await page.fill('#st-region', 'EU');
  await page.fill('#st-rate', '0.05');
  await page.click('#add-stream button[type=submit]');
  await page.waitForSelector('#stream-result code');
  assert.match(await page.textContent('#stream-result'), /esk_/);
  await page.fill('#st-rate', '0.2');
  await page.fill('#st-max', '11');
  assert.equal(await page.$eval('#st-max', (e) => e.validity.valid), false, 'the form refuses 11 s');
  const refused = await page.evaluate(async () => {
    const { csrf_token: csrf } = await (await fetch('/api/v1/staff/me')).json();
    const res = await fetch('/api/v1/admin/streams', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
      body: JSON.stringify({ name: 'assistant-de-DE', max_clip_s: 11 }) });
    return { status: res.status, body: await res.text() };
  });
  assert.equal(refused.status, 400, refused.body);
  assert.match(refused.body, /10 s/, 'and so does the server');
  await page.fill('#st-max', '8');
  await page.fill('#st-region', 'de');
  await page.click('#add-stream button[type=submit]');
  await page.waitForSelector('#streams td:has-text("20%")');
  assert.equal(await page.textContent('#streams tr:has(td:text-is("assistant-de-DE")) td:nth-child(2)'), 'DE', 'regions are upper case');
  // Region codes in any case are one region; anything else is refused.
  for (const typed of ['eu', 'EU']) {
    await page.fill('#rg-code', typed);
    await page.click('#pause-region button');
    await page.waitForSelector('#regions :text("EU paused")');
  }
  assert.deepEqual(await page.$$eval('#regions strong', (s) => s.map((e) => e.textContent)), ['EU paused']);
  await page.fill('#rg-code', 'Europe');
  await page.click('#pause-region button');
  await page.waitForSelector('#status.error:has-text(\'"Europe" is not a region code: use an ISO 3166-1 alpha-2 country code\')');
  assert.deepEqual(await accessibilityProblems(page), [], 'admin console contrast');
  await screenshot(page, 'console-admin');
  assert.deepEqual(csp, [], 'the admin console works under the Content-Security-Policy');
});

test('the pages reflow at 200% zoom without sideways scrolling', async () => {
  // 200% zoom of a 1280×800 window: a 640×400 CSS-pixel viewport at scale 2.
  const context = await browser.newContext({ viewport: { width: 640, height: 400 }, deviceScaleFactor: 2 });
  const page = await context.newPage();
  await signIn(page, server.base, reviewer, reviewer.recovery[0]);  // a TOTP code works once
  await page.waitForFunction(() => !document.getElementById('clip').classList.contains('hidden'));
  const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(await overflow() <= 0, `workstation scrolls sideways by ${await overflow()} px`);
  await screenshot(page, 'workstation-200-percent');
  const subject = await context.newPage();
  await subject.goto(`${server.base}/privacy#token=${subjectToken}`);
  await subject.waitForSelector('#recordings table');
  assert.ok(await subject.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth) <= 0,
    'the dashboard scrolls sideways');
  await screenshot(subject, 'privacy-dashboard-200-percent');
});

// Issue 13, item 5: a reload dropped the typed transcript and the answers.
// The clip on screen keeps a draft in the tab's session storage (never the
// audio) that a reload restores and signing out removes.
test('the workstation keeps a draft of the clip on screen across a reload', async () => {
  const page = await (await browser.newContext()).newPage();
  await signIn(page, server.base, reviewer, reviewer.recovery[3]);
  await page.waitForFunction(() => !document.getElementById('audio').paused, null, { timeout: 20000 });
  const task = await page.evaluate(async () => (await (await fetch('/api/v1/review/leases')).json()).tasks.map((t) => t.id));
  await page.fill('#transcript', 'draft words typed before a reload');
  await page.keyboard.press('Alt+Digit1');  // intended: yes
  await page.keyboard.press('Alt+Digit3');
  await page.keyboard.press('Alt+Digit3');  // responded: no
  await page.keyboard.press('Alt+KeyG');
  await page.keyboard.press('4');  // not speech
  await page.keyboard.press('Enter');
  const stored = await page.evaluate(() => Object.fromEntries(Object.entries(sessionStorage)));
  assert.deepEqual(Object.keys(stored), ['earshot.review.draft'], 'one draft, nothing else');
  const draft = JSON.parse(stored['earshot.review.draft']);
  assert.ok(task.includes(draft.task), 'the draft names the leased task');
  assert.deepEqual(Object.keys(draft).sort(), ['choices', 'flags', 'note', 'task', 'transcript']);
  assert.ok(!/blob:|RIFF|data:/.test(stored['earshot.review.draft']) && stored['earshot.review.draft'].length < 1000, 'never the audio');
  await page.reload();
  await page.waitForSelector('#status:has-text("Your draft for this clip was restored.")', { timeout: 20000 });
  assert.equal(await page.inputValue('#transcript'), 'draft words typed before a reload');
  assert.equal(await page.isChecked('#q1 input[value=yes]'), true);
  assert.equal(await page.isChecked('#q2 input[value=yes]') || await page.isChecked('#q2 input[value=no]'), false);
  assert.equal(await page.isChecked('#q3 input[value=no]'), true);
  assert.equal(await page.isChecked('#flags input[value=not_speech]'), true);
  assert.match(await page.textContent('#flag-summary'), /not speech/);
  await Promise.all([page.waitForURL(/\/$/), page.click('#sign-out')]);
  assert.equal(await page.evaluate(() => sessionStorage.length), 0, 'signing out removes the draft');
});

test('a clip withdrawn while on screen is dropped and cannot be replayed', async () => {
  const page = await (await browser.newContext()).newPage();
  await signIn(page, server.base, reviewer, reviewer.recovery[2]);
  await page.waitForFunction(() => !document.getElementById('audio').paused, null, { timeout: 20000 });
  // The person recorded withdraws review consent while the clip plays.
  await server.api('PUT', '/api/v1/me/consents', { bearer: subjectToken, body: { purposes: { human_review: false }, policy_version: '2026-11' } });
  for (const key of ['Alt+Digit1', 'Alt+Digit2', 'Alt+Digit3']) await page.keyboard.press(key);
  await page.keyboard.press('Control+Enter');
  await page.waitForSelector('#status:has-text("withdrawn")');
  assert.equal(await page.isHidden('#clip'), true);
  assert.equal(await page.evaluate(() => sessionStorage.getItem('earshot.review.draft')), null, 'its draft went with it');
  await page.keyboard.press('Escape');
  assert.equal(await page.evaluate(() => document.getElementById('audio').getAttribute('src')), null, 'its audio left the page');
  assert.equal(await page.evaluate(() => document.getElementById('audio').paused), true, 'Esc plays nothing');
});

// Issue 13, item 4: "Take a break" used to start one at a click, with no
// countdown and no way back. It asks first, counts down from what the
// server says is left (also after a reload), and can be ended early.
test('a reviewer takes a break: asked first, counted down, ended early; the shift count stays', async () => {
  const page = await (await browser.newContext()).newPage();
  await signIn(page, server.base, reviewer, reviewer.recovery[1]);
  await page.waitForSelector('#shift:has-text("/ 600 clips this shift")');
  const before = await page.textContent('#shift');
  await page.click('#take-break');
  await page.waitForSelector('#break[open]');
  await page.click('#break button[value=continue]');
  assert.equal(await page.isHidden('#on-break'), true, 'Keep reviewing starts no break');
  assert.equal(await page.evaluate(async () => (await (await fetch('/api/v1/review/shift')).json()).shift.on_break_for_s), 0);
  await page.click('#take-break');
  await page.click('#break button[value=take]');
  await page.waitForSelector('#status:has-text("You are on a break")');
  await page.waitForSelector('#on-break:not(.hidden)');
  assert.match(await page.textContent('#break-left'), /^1[45]:\d\d$/);
  assert.equal(await page.isHidden('#clip'), true, 'no clip plays during a break');
  assert.equal(await page.isHidden('#take-break'), true);
  assert.equal(await page.textContent('#shift'), before, 'a break costs nothing');
  const first = await page.textContent('#break-left');
  await page.waitForFunction((t) => document.getElementById('break-left').textContent !== t, first, { timeout: 5000 });
  await screenshot(page, 'workstation-on-break');
  await page.reload();
  await page.waitForSelector('#on-break:not(.hidden)');
  assert.match(await page.textContent('#break-left'), /^1[45]:\d\d$/, 'a reload shows the time left');
  await page.click('#end-break');
  await page.waitForSelector('#on-break.hidden', { state: 'attached' });
  await page.waitForSelector('#status:has-text("Welcome back.")');
  assert.equal(await page.isVisible('#take-break'), true);
  assert.equal(await page.textContent('#shift'), before);
});

test('the person recorded downloads everything, changes choices and deletes one recording', async () => {
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  await page.goto(`${server.base}/privacy#token=${subjectToken}`);
  await page.waitForSelector('#recordings tbody tr');
  const before = await page.$$eval('#recordings tbody tr', (rows) => rows.length);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export')]);
  assert.equal(download.suggestedFilename(), 'my-voice-recordings.zip');
  const tar = await download.createReadStream();
  let bytes = 0;
  for await (const chunk of tar) bytes += chunk.length;
  assert.ok(bytes > 1024, `the archive holds the recordings (${bytes} bytes)`);
  // Each change is saved on its own; wait for the server to hold each.
  const saved = async (check) => {
    for (let i = 0; i < 50; i++) {
      if (check(await server.api('GET', '/api/v1/me/consents', { bearer: subjectToken }))) return true;
      await new Promise((r) => setTimeout(r, 100));
    }
    return false;
  };
  await page.check('#c-training');
  assert.ok(await saved((c) => c.purposes.training === true), 'the training switch is saved');
  await page.check('input[name=retention][value="3m"]');
  assert.ok(await saved((c) => c.retention === '3m'), 'the retention choice is saved');
  await page.waitForSelector('#status:has-text("Saved.")');
  await page.click('#recordings tbody tr:first-child button:has-text("Delete")');
  await page.click('#confirm button[value=cancel]');
  assert.equal(await page.$$eval('#recordings tbody tr', (rows) => rows.length), before, 'Keep keeps it');
  await page.click('#recordings tbody tr:first-child button:has-text("Delete")');
  await page.click('#confirm-delete');
  await page.waitForFunction((n) => document.querySelectorAll('#recordings tbody tr').length === n - 1 ||
    (n === 1 && document.querySelector('#recordings p')), before);
  const left = await server.api('GET', '/api/v1/me/recordings', { bearer: subjectToken });
  assert.equal(left.recordings.length, before - 1);
});
