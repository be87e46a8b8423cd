// 500 malformed requests of assorted kinds, each answered with the right status and an error
// body, while the server keeps serving; and a client that stops reading a stream does not hold
// up the others.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startSeer, fixtureConfig } from './harness.mjs';

const maxBody = 1 << 20;
let seer;
before(async () => {
  seer = await startSeer({ config: fixtureConfig({ http: { max_body: maxBody } }) });
});
after(async () => {
  const exit = await seer?.stop();
  assert.equal(exit?.code, 0, `seer stopped cleanly:\n${seer?.log()}`);
});

// A deterministic pseudo-random sequence, so a failure can be replayed.
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}
const pick = (rand, list) => list[Math.floor(rand() * list.length)];

const chat = { model: 'scripted', messages: [{ role: 'user', content: 'hello' }], stream: false };
const generate = { model: 'scripted', prompt: 'hello', stream: false };

// Each kind makes one request from the random source: [description, path, body, status].
const kinds = {
  badJson: (rand) => {
    const text = JSON.stringify(pick(rand, [chat, generate]));
    const cut = 1 + Math.floor(rand() * (text.length - 2));
    const path = text.includes('messages') ? '/api/chat' : '/api/generate';
    return [`truncated JSON at ${cut}`, path, text.slice(0, cut), 400];
  },
  notAnObject: (rand) => [`a JSON ${'array'}`, pick(rand, ['/api/chat', '/api/generate', '/api/show']),
    pick(rand, ['[]', '42', '"text"', 'null', 'true']), 400],
  wrongTypes: (rand) => {
    const field = pick(rand, [
      ['messages', 'hello'], ['messages', [1]], ['messages', [{ role: 5 }]], ['options', []],
      ['options', { temperature: 'hot' }], ['options', { num_predict: 'many' }], ['stream', 'yes'],
      ['model', 42], ['keep_alive', { minutes: 5 }], ['format', 7], ['tools', 'none'],
    ]);
    return [`${field[0]} = ${JSON.stringify(field[1])}`, '/api/chat', JSON.stringify({ ...chat, [field[0]]: field[1] }), 400];
  },
  badBase64: (rand) => {
    const image = pick(rand, ['%%%%', 'abc', 'not base64 at all!', '====', 'aGVsbG8=', '']);
    return [`image ${JSON.stringify(image)}`, '/api/generate', JSON.stringify({ ...generate, images: [image] }), 400];
  },
  unknownModel: (rand) => {
    const model = `nobody-${Math.floor(rand() * 1e6)}`;
    const [path, body] = pick(rand, [
      ['/api/chat', { ...chat, model }], ['/api/generate', { ...generate, model }], ['/api/show', { model }],
    ]);
    return [`model ${model}`, path, JSON.stringify(body), 404];
  },
  missingModel: (rand) => ['no model', pick(rand, ['/api/chat', '/api/show']), '{}', 400],
  hugeBody: (rand) => {
    const size = maxBody + 1 + Math.floor(rand() * maxBody);
    return [`${size} bytes`, '/api/generate', JSON.stringify({ ...generate, prompt: 'x'.repeat(size) }), 413];
  },
};

test('500 malformed requests each get the right error and the server keeps serving', async () => {
  const rand = random(20261124);
  const names = Object.keys(kinds);
  const counts = {};
  for (let i = 0; i < 500; ++i) {
    const kind = names[i % names.length];
    const [what, path, body, status] = kinds[kind](rand);
    const response = await fetch(`${seer.url}${path}`, { method: 'POST', body });
    const text = await response.text();
    assert.equal(response.status, status, `${kind}: ${what} → ${response.status} ${text.slice(0, 200)}`);
    assert.equal(typeof JSON.parse(text).error, 'string', `${kind}: ${what} has an error message`);
    counts[kind] = (counts[kind] ?? 0) + 1;
  }
  console.log(counts);
  const tags = await (await fetch(`${seer.url}/api/tags`)).json();
  assert.ok(tags.models.length >= 4);
});

// Raw bytes on a socket; resolves with what the server sent before closing (or after `waitMs`).
function rawExchange(bytes, { waitMs = 3000, closeAfterSend = false } = {}) {
  return new Promise((resolve, reject) => {
    const socket = net.connect(seer.port, '127.0.0.1');
    let received = '';
    const done = () => {
      socket.destroy();
      resolve(received);
    };
    socket.setEncoding('latin1');
    socket.on('data', (chunk) => (received += chunk));
    socket.on('close', done);
    socket.on('error', () => done());
    socket.on('connect', () => {
      socket.write(bytes);
      if (closeAfterSend) socket.end();
    });
    setTimeout(done, waitMs).unref();
    socket.on('timeout', reject);
  });
}

test('broken HTTP, truncated bodies and abandoned streams leave the server serving', async () => {
  const answers = await Promise.all([
    rawExchange('GET\r\n\r\n'),
    rawExchange('POST /api/chat HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n'),
    rawExchange(`GET /${'a'.repeat(100000)} HTTP/1.1\r\nHost: x\r\n\r\n`),
    rawExchange(`GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(100000)}\r\n\r\n`),
    // A body that never arrives in full, then the client leaves.
    rawExchange('POST /api/chat HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{"model": "scr', { closeAfterSend: true, waitMs: 500 }),
    // A streamed reply the client walks away from.
    rawExchange(`POST /api/chat HTTP/1.1\r\nHost: x\r\nContent-Length: ${JSON.stringify({ ...chat, stream: true }).length}\r\n\r\n${JSON.stringify({ ...chat, stream: true })}`, { waitMs: 50 }),
  ]);
  assert.match(answers[0], /^HTTP\/1\.1 400/);
  assert.match(answers[1], /^HTTP\/1\.1 400/);
  assert.match(answers[2], /^HTTP\/1\.1 (414|431|400)/);
  assert.match(answers[3], /^HTTP\/1\.1 431/);
  const reply = await fetch(`${seer.url}/api/chat`, { method: 'POST', body: JSON.stringify(chat) });
  assert.equal((await reply.json()).message.content, 'You said: hello (0 images)');
});

test('a client that stops reading does not block the others', async () => {
  // Tens of megabytes of NDJSON for a client that reads none of it.
  const words = 'word '.repeat(300000);
  const body = JSON.stringify({ model: 'firehose', messages: [{ role: 'user', content: words }], options: { num_predict: 300000 } });
  const stalled = net.connect(seer.port, '127.0.0.1');
  stalled.on('error', () => {});
  stalled.write(`POST /api/chat HTTP/1.1\r\nHost: x\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
  stalled.pause();
  await new Promise((resolve) => setTimeout(resolve, 1000));

  const started = Date.now();
  const replies = await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      fetch(`${seer.url}/api/chat`, { method: 'POST', body: JSON.stringify({ ...chat, messages: [{ role: 'user', content: `client ${i}` }] }) })
        .then((response) => response.json())),
  );
  const elapsed = Date.now() - started;
  replies.forEach((reply, i) => assert.equal(reply.message.content, `You said: client ${i} (0 images)`));
  assert.ok((await fetch(`${seer.url}/api/tags`)).ok);
  assert.ok(elapsed < 15000, `20 chats took ${elapsed} ms beside a stalled client`);
  stalled.destroy();
});
