// The `ws` package against seer's WebSocket protocol (docs/protocol-websocket.md): hello, a
// chat streamed to done, cancel, look, a subscription to an agent's events, error frames, and
// the token in hello.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { startSeer, fixtureConfig } from './harness.mjs';

// One connection with a queue of the frames it received, so a test can wait for the next one
// (or the next of a type) in order.
class Client {
  static async open(url, options) {
    const client = new Client(new WebSocket(url, options));
    await new Promise((resolve, reject) => {
      client.ws.once('open', resolve);
      client.ws.once('error', reject);
    });
    return client;
  }

  constructor(ws) {
    this.ws = ws;
    this.frames = [];
    this.waiting = null;
    this.closed = null;
    ws.on('message', (data) => {
      this.frames.push(JSON.parse(data.toString()));
      this.wake();
    });
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      this.wake();
    });
  }

  wake() {
    const waiting = this.waiting;
    this.waiting = null;
    waiting?.();
  }

  send(message) {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  // The next frame for which `match` is true; the frames before it are dropped.
  async next(match = () => true, timeoutMs = 20000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      while (this.frames.length > 0) {
        const frame = this.frames.shift();
        if (match(frame)) return frame;
      }
      if (this.closed) throw new Error(`closed (${this.closed.code}) while waiting`);
      if (Date.now() > deadline) throw new Error('no matching frame in time');
      await new Promise((resolve) => {
        this.waiting = resolve;
        setTimeout(resolve, 100);
      });
    }
  }

  async closedWith(timeoutMs = 10000) {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return this.closed?.code;
  }

  close() {
    this.ws.close();
  }
}

const ofType = (type, id) => (frame) => frame.type === type && (id === undefined || frame.id === id);

let seer;
let url;
before(async () => {
  seer = await startSeer();
  url = `${seer.url.replace('http', 'ws')}/ws`;
});
after(async () => {
  const exit = await seer?.stop();
  assert.equal(exit?.code, 0, `seer stopped cleanly:\n${seer?.log()}`);
});

test('hello is answered with a welcome naming the agents and the session', async () => {
  const client = await Client.open(url);
  client.send({ type: 'hello', agent: 'toolsy' });
  const welcome = await client.next();
  assert.equal(welcome.type, 'welcome');
  assert.equal(welcome.protocol, 1);
  assert.match(welcome.server, /^seer /);
  assert.match(welcome.session, /^ws-[0-9a-f]{16}$/);
  assert.equal(welcome.agent, 'toolsy');
  for (const agent of ['tester', 'toolsy']) assert.ok(welcome.agents.includes(agent));
  client.close();
});

test('a chat streams tokens, then done with the whole text and timings', async () => {
  const client = await Client.open(url);
  client.send({ type: 'hello', agent: 'toolsy', session: 'node-chat' });
  await client.next(ofType('welcome'));
  client.send({ type: 'chat', id: 'c1', text: 'Hello from node' });
  const tokens = [];
  let done;
  while (!done) {
    const frame = await client.next((f) => f.id === 'c1');
    if (frame.type === 'token') tokens.push(frame.text);
    else if (frame.type === 'done') done = frame;
    else assert.fail(`unexpected ${JSON.stringify(frame)}`);
  }
  assert.ok(tokens.length > 1, 'streamed in pieces');
  assert.equal(tokens.join(''), done.text);
  assert.match(done.text, /Hello from node/);
  assert.equal(done.cancelled, false);
  assert.equal(done.done_reason, 'stop');
  assert.ok(done.timings.total_ns > 0);
  assert.ok(done.timings.eval_tokens > 0);
  client.close();
});

test('cancel stops a reply, which ends with done cancelled', async () => {
  const client = await Client.open(url);
  client.send({ type: 'hello', agent: 'toolsy' });
  await client.next(ofType('welcome'));
  const long = Array.from({ length: 400 }, (_, i) => `word${i}`).join(' ');
  client.send({ type: 'chat', id: 7, text: long });
  await client.next(ofType('token', 7));
  client.send({ type: 'cancel', id: 7 });
  const done = await client.next(ofType('done', 7));
  assert.equal(done.cancelled, true);
  assert.ok(!done.text.includes('word399'), 'the reply stopped early');
  client.close();
});

test('look answers with a vision report, and a subscriber gets it as an event', async () => {
  const watcher = await Client.open(url);
  watcher.send({ type: 'subscribe', events: ['vision_report', 'person'], agent: 'tester' });
  const subscribed = await watcher.next(ofType('subscribed'));
  assert.equal(subscribed.subscriptions.length, 2);

  const client = await Client.open(url);
  client.send({ type: 'look', id: 'l1', agent: 'tester' });
  const report = await client.next(ofType('report', 'l1'));
  assert.equal(report.agent, 'tester');
  assert.equal(typeof report.report, 'object');

  const event = await watcher.next(ofType('event'));
  assert.equal(event.agent, 'tester');
  assert.ok(['vision_report', 'person'].includes(event.event));
  assert.match(event.time, /Z$/);
  watcher.close();
  client.close();
});

test('bad input is answered with error frames and the connection lives on', async () => {
  const client = await Client.open(url);
  client.send('this is not JSON');
  assert.equal((await client.next()).code, 'bad_json');
  client.send({ type: 'dance', id: 'd1' });
  const unknown = await client.next();
  assert.deepEqual([unknown.type, unknown.id, unknown.code], ['error', 'd1', 'unknown_type']);
  client.send({ type: 'chat', id: 'i1', text: 'hi', agent: 'toolsy', images: ['not base64!'] });
  assert.equal((await client.next()).code, 'bad_image');
  client.send({ type: 'chat', id: 'u1', text: 'hi', agent: 'nobody' });
  assert.equal((await client.next()).code, 'unknown_agent');
  client.send({ type: 'ping', id: 3 });
  assert.deepEqual(await client.next(), { type: 'pong', id: 3 });
  client.close();
});

test('with a token, hello must bring it', async () => {
  const guarded = await startSeer({
    config: fixtureConfig({ http: { token_env: 'SEER_TEST_TOKEN' } }),
    environment: { SEER_TEST_TOKEN: 'node-secret' },
  });
  try {
    const guardedUrl = `${guarded.url.replace('http', 'ws')}/ws`;
    const intruder = await Client.open(guardedUrl);
    intruder.send({ type: 'hello', token: 'guess' });
    assert.equal((await intruder.next()).code, 'unauthorized');
    assert.equal(await intruder.closedWith(), 1008);

    const friend = await Client.open(guardedUrl);
    friend.send({ type: 'hello', token: 'node-secret', agent: 'toolsy' });
    assert.equal((await friend.next()).type, 'welcome');
    friend.send({ type: 'chat', id: 1, text: 'hi' });
    assert.match((await friend.next(ofType('done', 1))).text, /hi/);
    friend.close();

    const native = await Client.open(guardedUrl, { headers: { Authorization: 'Bearer node-secret' } });
    native.send({ type: 'ping' });
    assert.equal((await native.next()).type, 'pong');
    native.close();
  } finally {
    const exit = await guarded.stop();
    assert.equal(exit.code, 0, `seer stopped cleanly:\n${guarded.log()}`);
  }
});
