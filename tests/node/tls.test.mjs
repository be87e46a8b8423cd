// TLS on the http plugin, with real clients: the official `ollama` library over HTTPS and `ws`
// over wss://, both trusting only the test CA (tests/plugins/http/tls/README.md) — Node's fetch
// through NODE_EXTRA_CA_CERTS (tests/node/tests.cmake sets it), `ws` through its `ca` option —
// and `seer serve --tls-cert --tls-key`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ollama } from 'ollama';
import WebSocket from 'ws';
import { startSeer, fixtureConfig, asset, env } from './harness.mjs';

const tlsFile = (name) => join(env('SEER_SOURCE_DIR'), 'tests/plugins/http/tls', name);
const tlsKeys = () => ({ tls_certificate: tlsFile('server.pem'), tls_private_key: tlsFile('server.key') });

// The frames of one wss:// connection, in order.
async function openWss(url, options) {
  const ws = new WebSocket(url, options);
  const frames = [];
  const waiting = [];
  ws.on('message', (data) => {
    frames.push(JSON.parse(data.toString()));
    waiting.splice(0).forEach((wake) => wake());
  });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  const next = async (timeoutMs = 20000) => {
    const deadline = Date.now() + timeoutMs;
    while (frames.length === 0) {
      if (Date.now() > deadline) throw new Error('no frame in time');
      await new Promise((resolve) => {
        waiting.push(resolve);
        setTimeout(resolve, 100);
      });
    }
    return frames.shift();
  };
  return { ws, next, send: (message) => ws.send(JSON.stringify(message)) };
}

let seer;
before(async () => {
  seer = await startSeer({ config: fixtureConfig({ http: tlsKeys() }) });
});
after(async () => {
  const exit = await seer?.stop();
  assert.equal(exit?.code, 0, `seer stopped cleanly:\n${seer?.log()}`);
});

test('the listener says https', () => {
  assert.match(seer.url, /^https:\/\/127\.0\.0\.1:\d+$/);
  assert.match(seer.log(), /serving https:\/\/127\.0\.0\.1:\d+/);
});

test('ollama lists the models and streams a chat over HTTPS', async () => {
  const ollama = new Ollama({ host: seer.url });
  const { models } = await ollama.list();
  assert.ok(models.some((model) => model.name === 'toolsy'));
  const stream = await ollama.chat({
    model: 'toolsy',
    messages: [{ role: 'user', content: 'hi there' }],
    stream: true,
  });
  let text = '';
  let parts = 0;
  let last;
  for await (const part of stream) {
    text += part.message.content;
    parts += 1;
    last = part;
  }
  assert.ok(parts > 2, 'streamed in pieces');
  assert.equal(text, 'You said: hi there (0 images)');
  assert.equal(last.done, true);
});

test('ws says hello and chats over wss:// with the test CA', async () => {
  const client = await openWss(`${seer.url.replace('https', 'wss')}/ws`, { ca: readFileSync(tlsFile('ca.pem')) });
  client.send({ type: 'hello', agent: 'toolsy' });
  const welcome = await client.next();
  assert.equal(welcome.type, 'welcome');
  assert.equal(welcome.agent, 'toolsy');
  client.send({ type: 'chat', id: 'c1', text: 'Hello over TLS' });
  const tokens = [];
  let done;
  while (!done) {
    const frame = await client.next();
    if (frame.type === 'token') tokens.push(frame.text);
    else if (frame.type === 'done') done = frame;
    else assert.fail(`unexpected ${JSON.stringify(frame)}`);
  }
  assert.equal(tokens.join(''), done.text);
  assert.match(done.text, /Hello over TLS/);
  const closed = new Promise((resolve) => client.ws.once('close', resolve));
  client.ws.close(1000);
  assert.equal(await closed, 1000);
});

test('a client that does not trust the certificate, and plain HTTP, are refused', async () => {
  // The server's own certificate is no CA: a client trusting only it cannot build a chain.
  const untrusting = new WebSocket(`${seer.url.replace('https', 'wss')}/ws`, { ca: readFileSync(tlsFile('server.pem')) });
  const failure = await new Promise((resolve) => {
    untrusting.once('error', resolve);
    untrusting.once('open', () => resolve(null));
  });
  assert.ok(failure, 'the handshake failed');
  await assert.rejects(fetch(seer.url.replace('https', 'http') + '/api/version'));
  const ollama = new Ollama({ host: seer.url });
  assert.ok((await ollama.version()).version, 'and the server serves the next client');
});

test('seer serve --tls-cert --tls-key puts the checkpoint behind HTTPS', async () => {
  const served = await startSeer({
    args: [
      'serve', '--model', join(env('SEER_SOURCE_DIR'), 'tests/fixtures/bagel-tiny'),
      '--tokenizer', asset('tokenizer/tokenizer.json'), '--port', '0',
      '--tls-cert', tlsFile('server.pem'), '--tls-key', tlsFile('server.key'),
    ],
  });
  try {
    assert.match(served.url, /^https:/);
    const ollama = new Ollama({ host: served.url });
    const { models } = await ollama.list();
    assert.deepEqual(models.map((model) => model.name), ['bagel-7b-mot']);
  } finally {
    assert.equal((await served.stop()).code, 0);
  }
});
