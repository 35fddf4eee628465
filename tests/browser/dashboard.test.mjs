// The privacy dashboard's rough edges (issue 13, item 12): recordings made
// within one minute read apart, in the table and in the delete dialog;
// turning off "keep my recordings" turns off what depends on it, in the page
// and on the server; an expired link and a damaged one say different things.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Server, accessibilityProblems, earshot, launch, screenshot, speak } from './harness.mjs';

const server = new Server();
let browser, key, token;
const ACCOUNT = 'acct-dashboard-5521';

before(async () => {
  key = JSON.parse(earshot('stream', 'create', 'dashboard-stream', '--data', server.data, '--rate', '1')).api_key;
  await server.start();
  await server.api('PUT', '/api/v1/consents', { bearer: key, body: { account: ACCOUNT, purposes: { store: true, human_review: true, training: true }, policy_version: '2026-11' } });
  await new Promise((r) => setTimeout(r, 1100));  // captured after the consent
  // Two requests in the same minute, two seconds apart.
  const minute = new Date(Date.now() + 60000);
  minute.setUTCSeconds(10, 0);
  for (const [second, text] of [[10, 'turn on the lights'], [12, 'turn off the lights']]) {
    minute.setUTCSeconds(second);
    await server.postRecording(key, speak(text), { account: ACCOUNT, device_serial: 'SN-DASH-1', captured_at: minute.toISOString(), locale: 'en-US', hypothesis: { text } });
  }
  token = (await server.api('POST', '/api/v1/subject-tokens', { bearer: key, body: { account: ACCOUNT } })).token;
  await server.waitForQueued(2);  // the worker made both clips
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
  await server.stop();
});

test('what you said, and the very clip a reviewer hears', async () => {
  const page = await browser.newPage();
  await page.goto(`${server.base}/privacy#token=${token}`);
  await page.waitForSelector('#recordings tbody tr');
  const row = page.locator('#recordings tbody tr').nth(0);
  await row.locator('details.heard summary').click();
  assert.equal(await row.locator('q.transcript').textContent(), 'turn off the lights');
  const masked = await row.locator('q.masked').textContent();
  const reviewed = await server.api('GET', '/api/v1/me/recordings', { bearer: token });
  assert.equal(masked, reviewed.recordings[0].clips[0].masked_text, 'the text a reviewer reads');
  await row.locator('p.clip button').click();
  await page.waitForFunction(() => !document.getElementById('player').paused);
  await screenshot(page, 'dashboard-what-a-reviewer-hears');
  const listens = (await server.api('GET', '/api/v1/me/recordings', { bearer: token })).recordings[0].listens;
  assert.equal(listens.length, 0, 'the person playing their clip is no listen');
});

test('recordings of one minute read apart, and the dialog names which', async () => {
  const page = await browser.newPage();
  await page.goto(`${server.base}/privacy#token=${token}`);
  await page.waitForSelector('#recordings tbody tr');
  const when = await page.$$eval('#recordings tbody tr td:first-child', (cells) => cells.map((c) => c.textContent));
  assert.equal(when.length, 2);
  assert.notEqual(when[0], when[1], `rows must differ: ${when.join(' | ')}`);
  assert.match(when[0], /^2\. /, 'the newest is numbered 2');
  const labels = await page.$$eval('#recordings button.danger', (b) => b.map((x) => x.getAttribute('aria-label')));
  assert.notEqual(labels[0], labels[1]);
  await page.click('#recordings tbody tr:nth-child(2) button:has-text("Delete")');
  const dialog = await page.textContent('#confirm-text');
  assert.match(dialog, /recording 1 \(/, dialog);
  await screenshot(page, 'dashboard-delete-dialog');
  await page.click('#confirm button[value=cancel]');
  assert.deepEqual(await accessibilityProblems(page), [], 'contrast and focus order');
});

test('review and training follow "keep my recordings"', async () => {
  const page = await browser.newPage();
  await page.goto(`${server.base}/privacy#token=${token}`);
  await page.waitForSelector('#recordings tbody tr');
  assert.equal(await page.isChecked('#c-training'), true);
  await page.uncheck('#c-store');
  await page.waitForFunction(() => document.getElementById('c-training').disabled);
  assert.equal(await page.isChecked('#c-training'), false, 'training is off with storage');
  assert.equal(await page.isChecked('#c-human_review'), false, 'review is off with storage');
  assert.equal(await page.isDisabled('#c-human_review'), true);
  const held = await server.api('GET', '/api/v1/me/consents', { bearer: token });
  assert.deepEqual(held.purposes, { store: false, human_review: false, training: false }, 'the server withdrew both');
  await screenshot(page, 'dashboard-storage-off');
  await page.check('#c-store');
  await page.waitForFunction(() => !document.getElementById('c-training').disabled);
  assert.equal(await page.isChecked('#c-training'), false, 'turning storage back on grants nothing else');
});

test('an expired link and a damaged one are told apart', async () => {
  const short = (await server.api('POST', '/api/v1/subject-tokens', { bearer: key, body: { account: ACCOUNT, ttl_seconds: 1 } })).token;
  await new Promise((r) => setTimeout(r, 2100));
  const messages = {};
  for (const [name, link] of [['expired', short], ['damaged', token.slice(0, -4) + 'AAAA']]) {
    const page = await browser.newPage();
    await page.goto(`${server.base}/privacy#token=${link}`);
    await page.waitForSelector('#status.error');
    messages[name] = await page.textContent('#status');
  }
  assert.match(messages.expired, /expired/);
  assert.doesNotMatch(messages.damaged, /expired/);
  assert.match(messages.damaged, /not valid/);
});
