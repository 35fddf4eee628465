// Submit → next clip playing in the reviewer workstation (target ≤ 150 ms on
// localhost), measured in Debian's chromium against a real earshot server,
// side by side with its physical limit on the same page and clips: swapping
// the audio element to a clip already in memory and waiting for 'playing'
// (no network, no server work). Reports medians, p90 and the ratio.
//
//   node bench/workstation_latency.mjs [--clips 12] [--think-ms 1500]
//
// --think-ms is how long the "reviewer" spends on a clip before submitting
// (the prefetch of the next clip runs meanwhile).
import { Server, addUser, launch, signIn, speak, totp, earshot } from '../tests/browser/harness.mjs';

const arg = (name, def) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const CLIPS = arg('--clips', 12), THINK = arg('--think-ms', 1500);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p90 = (xs) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.9))];

const server = new Server();
const key = JSON.parse(earshot('stream', 'create', 'bench', '--data', server.data, '--rate', '1')).api_key;
const reviewer = addUser(server.data, 'rev-bench', 'reviewer');
await server.start();
await server.enrol(reviewer);
await server.consentToReview(key, ['acct-bench']);
const phrases = ['turn on the kitchen lights', 'what is the weather like tomorrow', 'play some quiet music', 'set an alarm for seven'];
for (let i = 0; i < CLIPS + 2; i++) {
  const text = phrases[i % phrases.length];
  await server.postRecording(key, speak(text), { account: 'acct-bench', device_serial: 'SN', captured_at: new Date().toISOString(), locale: 'en-US', hypothesis: { text } });
}
await server.waitForQueued(CLIPS + 2, 300000);
const browser = await launch();
try {
  const page = await (await browser.newContext()).newPage();
  await signIn(page, server.base, reviewer, totp(reviewer.secret, 1));
  await page.waitForFunction(() => !document.getElementById('audio').paused, null, { timeout: 30000 });
  for (let i = 0; i < CLIPS; i++) {
    await page.waitForTimeout(THINK);
    const before = await page.evaluate(() => window.earshotTiming.submits.length);
    for (const key of ['Alt+Digit1', 'Alt+Digit2', 'Alt+Digit3']) await page.keyboard.press(key);  // each needs an answer
    await page.keyboard.press('Control+Enter');
    await page.waitForFunction((n) => window.earshotTiming.submits.length > n, before, { timeout: 30000 });
  }
  const earshotMs = await page.evaluate(() => window.earshotTiming.submits);
  // The limit: the same page swapping to a clip already in memory.
  const limitMs = await page.evaluate(async (n) => {
    const audio = document.getElementById('audio');
    const url = audio.currentSrc;  // the clip on screen, in memory
    const out = [];
    for (let i = 0; i < n; i++) {
      audio.pause();
      audio.removeAttribute('src');
      audio.load();
      const start = performance.now();
      const playing = new Promise((r) => audio.addEventListener('playing', r, { once: true }));
      audio.src = url;
      audio.play();
      await playing;
      out.push(performance.now() - start);
      await new Promise((r) => setTimeout(r, 100));
    }
    return out;
  }, CLIPS);
  const e = median(earshotMs), l = median(limitMs);
  console.log(`clips ${CLIPS}, think ${THINK} ms`);
  console.log(`earshot submit → next playing: median ${e.toFixed(1)} ms, p90 ${p90(earshotMs).toFixed(1)} ms (target ≤ 150)`);
  console.log(`limit (in-memory swap):        median ${l.toFixed(1)} ms, p90 ${p90(limitMs).toFixed(1)} ms`);
  console.log(`ratio limit/earshot: ${(l / e).toFixed(2)}`);
  console.log(`all earshot samples: ${earshotMs.map((x) => x.toFixed(0)).join(' ')}`);
} finally {
  await browser.close();
  await server.stop();
}
