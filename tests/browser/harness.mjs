// Shared by the browser tests: a real earshot server on a fresh data
// directory set up through the CLI and the product API as an operator and a
// product would, Debian's chromium driven by playwright-core, TOTP codes as
// an authenticator app computes them, and screenshots as test artefacts.
import { execFileSync, spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const BINARY = process.env.EARSHOT_BINARY || 'build/bin/earshot';
export const ARTIFACTS = process.env.EARSHOT_ARTIFACTS || 'build/test-artifacts';

export function earshot(...args) {
  return execFileSync(BINARY, args, { encoding: 'utf8' });
}

// The parts of `earshot user add` output a new member needs.
export function addUser(data, name, role) {
  const out = earshot('user', 'add', name, '--role', role, '--data', data);
  return {
    name,
    secret: /secret=([A-Z2-7]+)/.exec(out)[1],
    enrolment: /(enr_[A-Za-z0-9_-]+)/.exec(out)[1],
    recovery: [...out.matchAll(/^ {3}([a-z2-7]{13})$/gm)].map((m) => m[1]),
    password: `browser test password of ${name}`,
  };
}

function base32(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0, value = 0;
  const out = [];
  for (const c of text) {
    value = (value << 5) | alphabet.indexOf(c);
    bits += 5;
    if (bits >= 8) { out.push((value >>> (bits - 8)) & 0xff); bits -= 8; }
  }
  return Buffer.from(out);
}

// RFC 6238 with the step offset from now (each code works once).
export function totp(secret, offsetSteps = 0) {
  const counter = Math.floor(Date.now() / 30000) + offsetSteps;
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', base32(secret)).update(msg).digest();
  const off = mac[mac.length - 1] & 0x0f;
  const bin = ((mac[off] & 0x7f) << 24) | (mac[off + 1] << 16) | (mac[off + 2] << 8) | mac[off + 3];
  return String(bin % 1e6).padStart(6, '0');
}

export class Server {
  constructor() {
    this.data = mkdtempSync(join(tmpdir(), 'earshot-browser-'));
    this.log = '';
  }
  start() {
    return new Promise((resolve, reject) => {
      this.proc = spawn(BINARY, ['serve', '--data', this.data, '--listen', '127.0.0.1:0'], { stdio: ['ignore', 'ignore', 'pipe'] });
      const timer = setTimeout(() => reject(new Error('server did not start:\n' + this.log)), 30000);
      this.proc.stderr.on('data', (chunk) => {
        this.log += chunk;
        const m = /"event":"listening".*"port":"(\d+)"/.exec(this.log);
        if (m && !this.base) {
          this.base = `http://127.0.0.1:${m[1]}`;
          clearTimeout(timer);
          resolve(this.base);
        }
      });
      this.proc.on('exit', (code) => { if (!this.base) reject(new Error(`server exited ${code}:\n${this.log}`)); });
    });
  }
  async stop() {
    if (this.proc && this.proc.exitCode === null) {
      const exited = new Promise((r) => this.proc.on('exit', r));
      this.proc.kill('SIGTERM');
      await exited;
    }
    rmSync(this.data, { recursive: true, force: true });
  }
  async api(method, path, { bearer, body } = {}) {
    const headers = {};
    if (bearer) headers.Authorization = `Bearer ${bearer}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await fetch(this.base + path, { method, headers, body: body === undefined ? (method === 'GET' ? undefined : '') : JSON.stringify(body) });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : null;
  }
  // The product records store and human-review consent for `accounts`, then
  // waits long enough that a capture time taken afterwards, even cut to the
  // second, is after the consent (review needs consent at capture).
  async consentToReview(key, accounts) {
    for (const account of accounts) {
      await this.api('PUT', '/api/v1/consents', { bearer: key, body: { account, purposes: { store: true, human_review: true, training: false }, policy_version: '2026-11' } });
    }
    await new Promise((r) => setTimeout(r, 1500));
  }
  async enrol(user) {
    await this.api('POST', '/api/v1/staff/enrol', { body: { name: user.name, enrolment_secret: user.enrolment, password: user.password, code: totp(user.secret) } });
  }
  async postRecording(key, wav, meta) {
    const form = new FormData();
    form.append('audio', new Blob([wav], { type: 'audio/wav' }), 'clip.wav');
    form.append('metadata', JSON.stringify(meta));
    const res = await fetch(this.base + '/api/v1/recordings', { method: 'POST', headers: { Authorization: `Bearer ${key}` }, body: form });
    const text = await res.text();
    if (res.status !== 201) throw new Error(`recording: ${res.status} ${text}`);
    return JSON.parse(text);
  }
  // Waits until the review queue holds `n` queued tasks (de-identification done).
  async waitForQueued(n, timeoutMs = 120000) {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      const text = await (await fetch(this.base + '/metrics')).text();
      const m = /earshot_review_tasks\{state="queued"\} (\d+)/.exec(text);
      if (m && Number(m[1]) >= n) return;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`fewer than ${n} tasks were queued in time`);
  }
}

// Speech for a request, spoken by flite.
export function speak(text) {
  const dir = mkdtempSync(join(tmpdir(), 'earshot-voice-'));
  const file = join(dir, 'say.wav');
  execFileSync('flite', ['-t', text, '-o', file]);
  const wav = readFileSync(file);
  rmSync(dir, { recursive: true, force: true });
  return wav;
}

export async function launch() {
  const args = ['--disable-background-networking', '--disable-dev-shm-usage', '--autoplay-policy=no-user-gesture-required', '--mute-audio'];
  if (process.getuid && process.getuid() === 0) args.push('--no-sandbox');
  return chromium.launch({ executablePath: process.env.EARSHOT_CHROMIUM || '/usr/bin/chromium', headless: true, args });
}

export async function screenshot(page, name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

export async function signIn(page, base, user, code) {
  await page.goto(base + '/');
  await page.fill('#si-name', user.name);
  await page.fill('#si-password', user.password);
  await page.fill('#si-code', code);
  await Promise.all([page.waitForURL(/\/(review|console)$/), page.press('#si-code', 'Enter')]);
}

// Every form control of the page has an accessible name.
export async function unlabelledControls(page) {
  return page.evaluate(() => [...document.querySelectorAll('input, textarea, select, button')]
    .filter((e) => !e.closest('[hidden], .hidden') && e.type !== 'hidden')
    .filter((e) => !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !(e.textContent || '').trim())
    .map((e) => e.outerHTML.slice(0, 80)));
}

// Text whose contrast with its background is under WCAG AA (4.5:1, or 3:1
// for large text), and elements that break the natural focus order
// (a positive tabindex). Visible text is checked where it is; text inside
// buttons (the label and nested elements such as <kbd> hints) is checked
// in every button of the page, shown or not, so that a dialog's or a
// hidden section's buttons are checked too without opening them.
export async function accessibilityProblems(page) {
  return page.evaluate(() => {
    const rgba = (s) => (s.match(/[\d.]+/g) || []).map(Number);
    const lum = ([r, g, b]) => {
      const f = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const background = (el) => {
      for (let e = el; e; e = e.parentElement) {
        const c = rgba(getComputedStyle(e).backgroundColor);
        if (c.length >= 3 && (c.length === 3 || c[3] > 0.9)) return c.slice(0, 3);
      }
      return [255, 255, 255];
    };
    const hasText = (el) => [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    const problems = [];
    const check = (el, where) => {
      const style = getComputedStyle(el);
      const fg = rgba(style.color).slice(0, 3), bg = background(el);
      const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
      const ratio = (a + 0.05) / (b + 0.05);
      const large = parseFloat(style.fontSize) >= 24 || (parseFloat(style.fontSize) >= 18.5 && Number(style.fontWeight) >= 700);
      if (ratio < (large ? 3 : 4.5)) problems.push(`${where}${el.tagName} "${el.textContent.trim().slice(0, 30)}" ${ratio.toFixed(2)}:1`);
    };
    for (const el of document.querySelectorAll('body *')) {
      if (!hasText(el) || !el.getClientRects().length || el.closest('button')) continue;
      if (getComputedStyle(el).visibility === 'hidden' || el.closest('[hidden], .hidden, dialog:not([open]), .uplot')) continue;
      check(el, '');
    }
    for (const button of document.querySelectorAll('button')) {
      if (button.closest('.uplot')) continue;
      for (const el of [button, ...button.querySelectorAll('*')]) {
        if (hasText(el)) check(el, el === button ? '' : `in BUTTON "${button.textContent.trim().slice(0, 30)}": `);
      }
    }
    for (const el of document.querySelectorAll('[tabindex]')) {
      if (Number(el.getAttribute('tabindex')) > 0) problems.push(`positive tabindex on ${el.tagName}`);
    }
    return problems;
  });
}

// Collects the Content-Security-Policy violations a page reports (an inline
// style or script the policy blocks would silently not work).
export function watchCsp(page) {
  const violations = [];
  page.on('console', (msg) => {
    if (/Content Security Policy/i.test(msg.text())) violations.push(msg.text());
  });
  return violations;
}
