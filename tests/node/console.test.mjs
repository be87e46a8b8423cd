// The web console in a real browser (playwright-core driving Debian's chromium) against
// `seer run`: the page loads its models, a chat message gets a streamed answer, the camera
// frame shows, an agent's look fills the vision report, and a token is asked for once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startSeer, fixtureConfig, outputDir } from './harness.mjs';

// The fixture's camera publishes its frames on the bus, which the console shows.
const config = (options) =>
  fixtureConfig(options).replace('    plugin: camera\n', '    plugin: camera\n    publish_fps: 2\n');

let browser;
before(async () => {
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
});
after(async () => {
  await browser?.close();
});

async function stopped(seer) {
  const exit = await seer.stop();
  assert.equal(exit?.code, 0, `seer stopped cleanly:\n${seer.log()}`);
}

test('chat streams an answer, the frame and the vision report show', async () => {
  const seer = await startSeer({ config: config() });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  try {
    await page.goto(seer.url);
    await page.waitForSelector('#model option[value="scripted"]', { state: 'attached' });
    await page.selectOption('#model', 'scripted');

    // Every text the answer's bubble shows, to see it grow piece by piece.
    await page.evaluate(() => {
      window.seen = [];
      new MutationObserver(() => {
        const bubble = document.querySelector('.message.assistant:last-child');
        if (bubble) window.seen.push(bubble.textContent);
      }).observe(document.getElementById('messages'), { subtree: true, childList: true, characterData: true });
    });
    const words = 'the quick brown fox jumps over the lazy dog near the river bank';
    await page.fill('#prompt', words);
    await page.click('#send');
    const answer = page.locator('.message.assistant').last();
    await answer.filter({ hasText: `You said: ${words}` }).waitFor();
    const seen = await page.evaluate(() => [...new Set(window.seen)]);
    assert.ok(seen.length >= 3, `the answer grew as it streamed: ${JSON.stringify(seen)}`);

    // The camera's frame is shown, and the health table lists the plugins.
    await page.waitForFunction(() => document.getElementById('frame').naturalWidth > 0, null, { timeout: 20000 });
    assert.equal(await page.inputValue('#camera'), 'webcam');
    await page.locator('#plugins tr', { hasText: 'webcam' }).waitFor();

    // An agent that looks: her report (with the face found) appears next to the frame.
    await page.selectOption('#model', 'tester');
    await page.fill('#prompt', 'look at me');
    await page.click('#send');
    await page.locator('#report', { hasText: '"faces"' }).waitFor({ timeout: 60000 });
    await page.locator('.message.assistant').last().filter({ hasNotText: '…' }).waitFor({ timeout: 60000 });
    await page.screenshot({ path: join(outputDir(), 'console.png'), fullPage: true });
  } finally {
    await page.close();
    await stopped(seer);
  }
});

test('with a token, the page asks for it once and uses it', async () => {
  const token = 'console-test-token';
  const seer = await startSeer({
    config: config({ http: { token_env: 'SEER_TEST_TOKEN' } }),
    environment: { SEER_TEST_TOKEN: token },
  });
  const page = await browser.newPage();
  let asked = 0;
  page.on('dialog', (dialog) => {
    asked += 1;
    dialog.accept(token);
  });
  try {
    await page.goto(seer.url);
    await page.waitForSelector('#model option[value="scripted"]', { state: 'attached' });
    await page.locator('#plugins tr', { hasText: 'http' }).waitFor();
    assert.equal(asked, 1);
    assert.equal(await page.evaluate(() => sessionStorage.getItem('seer-token')), token);
  } finally {
    await page.close();
    await stopped(seer);
  }
});
