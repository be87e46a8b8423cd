// `seer serve --model DIR`, the drop-in replacement for the seed's Flask bagel_api.py, driven
// by the official `ollama` library: the checkpoint alone, then with a configuration's agents.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ollama } from 'ollama';
import { startSeer, asset, env, temporaryFile } from './harness.mjs';

const checkpoint = () => join(env('SEER_SOURCE_DIR'), 'tests/fixtures/bagel-tiny');
const serveArgs = (...extra) => [
  'serve', '--model', checkpoint(), '--tokenizer', asset('tokenizer/tokenizer.json'), '--port', '0', ...extra,
];

test('serve puts the checkpoint behind the Ollama API', async () => {
  const seer = await startSeer({ args: serveArgs() });
  try {
    const ollama = new Ollama({ host: seer.url });
    const { models } = await ollama.list();
    assert.deepEqual(models.map((model) => model.name), ['bagel-7b-mot']);
    // What sophia_vision.py sent to bagel_api.py: a prompt and one base64 image, not streamed.
    const reply = await ollama.generate({
      model: 'bagel-7b-mot',
      prompt: 'Describe the person.',
      images: [readFileSync(asset('photos/grace_hopper.jpg')).toString('base64')],
      stream: false,
      options: { num_predict: 3 },
    });
    assert.equal(reply.done, true);
    assert.ok(reply.eval_count > 0);
    assert.match(seer.log(), /loaded .* on cpu/);
  } finally {
    assert.equal((await seer.stop()).code, 0);
  }
});

test('serve with a configuration runs its agents and its other plugins', async () => {
  const config = temporaryFile('agents.yaml', `seer:
  plugin_path: [${JSON.stringify(env('SEER_TEST_PLUGIN_DIR'))}]
plugins:
  http: {port: 9}   # replaced by serve's own listener
  scripted: {plugin: scripted-chat}
agents:
  - name: helper
    llm: {backend: scripted}
    vision: {enabled: false}
  - name: narrator
    llm: {backend: bagel, options: {num_predict: 3}}
    vision: {enabled: false}
`);
  const seer = await startSeer({ args: serveArgs('--config', config, '--model-name', 'bagel-custom') });
  try {
    const ollama = new Ollama({ host: seer.url });
    const expected = ['bagel-custom', 'helper', 'narrator', 'scripted'];
    // /healthz follows the plugins' health only: the agents register once every plugin has
    // started, a moment after the listener is up (plugins/http/README.md).
    const listed = async () => (await ollama.list()).models.map((model) => model.name).sort();
    let names = await listed();
    for (const deadline = Date.now() + 10000; names.length < expected.length && Date.now() < deadline; ) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      names = await listed();
    }
    assert.deepEqual(names, expected);
    const reply = await ollama.chat({ model: 'helper', messages: [{ role: 'user', content: 'hi there' }] });
    assert.equal(reply.message.content, 'You said: hi there (0 images)');
    const narrated = await ollama.chat({ model: 'narrator', messages: [{ role: 'user', content: 'hello' }] });
    assert.equal(narrated.done, true);
    assert.match(seer.log(), /instance 'http' is replaced/);
  } finally {
    assert.equal((await seer.stop()).code, 0);
  }
});

test('serve refuses a public address without a token, and a missing checkpoint', () => {
  const open = spawnSync(env('SEER_BINARY'), serveArgs('--host', '0.0.0.0'), { encoding: 'utf8', timeout: 30000 });
  assert.equal(open.status, 2, open.stderr);
  assert.match(open.stderr, /token/);
  const missing = spawnSync(env('SEER_BINARY'), ['serve', '--model', '/nonexistent/bagel'], { encoding: 'utf8' });
  assert.notEqual(missing.status, 0);
  assert.match(missing.stderr, /nonexistent/);
});
