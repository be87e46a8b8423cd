// The official `openai` JavaScript library against seer's /v1 endpoints: models, a completion,
// a streamed completion (a model and an agent), image parts (BAGEL and the scripted model), a
// tool call and its result, errors; and a browser's CORS preflight.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import OpenAI from 'openai';
import { startSeer, fixtureConfig, asset, weatherTool } from './harness.mjs';

const origin = 'http://console.test:5173';
let seer;
let openai;
before(async () => {
  seer = await startSeer({ config: fixtureConfig({ http: { cors_origins: [origin] } }) });
  // seer needs no key on loopback; the library insists on one.
  openai = new OpenAI({ baseURL: `${seer.url}/v1`, apiKey: 'unused', maxRetries: 0 });
});
after(async () => {
  const exit = await seer?.stop();
  assert.equal(exit?.code, 0, `seer stopped cleanly:\n${seer?.log()}`);
});

const photoBase64 = () => readFileSync(asset('photos/grace_hopper.jpg')).toString('base64');

test('models lists the models and the agents, and retrieves one', async () => {
  const ids = [];
  for await (const model of openai.models.list()) ids.push(model.id);
  for (const name of ['bagel-7b-mot', 'tester', 'toolsy', 'scripted']) {
    assert.ok(ids.includes(name), `${name} in ${ids}`);
  }
  const scripted = await openai.models.retrieve('scripted');
  assert.equal(scripted.id, 'scripted');
  assert.equal(scripted.owned_by, 'seer');
});

test('a completion answers with the whole message and its usage', async () => {
  const completion = await openai.chat.completions.create({
    model: 'scripted',
    messages: [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'hello there' },
    ],
  });
  assert.equal(completion.object, 'chat.completion');
  assert.match(completion.id, /^chatcmpl-/);
  assert.equal(completion.choices[0].message.role, 'assistant');
  assert.equal(completion.choices[0].message.content, 'You said: hello there (0 images)');
  assert.equal(completion.choices[0].finish_reason, 'stop');
  assert.equal(completion.usage.completion_tokens, 6);
  assert.equal(completion.usage.total_tokens, completion.usage.prompt_tokens + 6);
});

test('a streamed completion arrives piece by piece, then usage', async () => {
  const stream = await openai.chat.completions.create({
    model: 'scripted',
    messages: [{ role: 'user', content: 'stream this please' }],
    stream: true,
    stream_options: { include_usage: true },
  });
  const pieces = [];
  let finish;
  let usage;
  for await (const chunk of stream) {
    if (chunk.usage) usage = chunk.usage;
    const choice = chunk.choices[0];
    if (!choice) continue;
    if (choice.delta.content) pieces.push(choice.delta.content);
    if (choice.finish_reason) finish = choice.finish_reason;
  }
  assert.ok(pieces.length > 1, `${pieces.length} pieces`);
  assert.equal(pieces.join(''), 'You said: stream this please (0 images)');
  assert.equal(finish, 'stop');
  assert.equal(usage.completion_tokens, pieces.length);
});

test('an agent is a model by her name, streamed too', async () => {
  const stream = await openai.chat.completions.create({
    model: 'toolsy',
    messages: [{ role: 'user', content: 'Hello there!' }],
    stream: true,
  });
  let text = '';
  let finish;
  for await (const chunk of stream) {
    text += chunk.choices[0]?.delta.content ?? '';
    finish = chunk.choices[0]?.finish_reason ?? finish;
  }
  assert.ok(text.length > 0, 'she said something');
  assert.equal(finish, 'stop');
});

test('image parts reach the model as data URIs and as bare base64', async () => {
  const photo = photoBase64();
  const completion = await openai.chat.completions.create({
    model: 'scripted',
    messages: [
      {
        role: 'user',
        content: [
          { type: 'text', text: 'what is this' },
          { type: 'image_url', image_url: { url: `data:image/jpeg;base64,${photo}` } },
          { type: 'image_url', image_url: { url: photo } },
        ],
      },
    ],
  });
  assert.equal(completion.choices[0].message.content, 'You said: what is this (2 images)');

  const described = await openai.chat.completions.create({
    model: 'bagel-7b-mot',
    max_tokens: 4,
    messages: [
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Describe the picture.' },
          { type: 'image_url', image_url: { url: `data:image/jpeg;base64,${photo}` } },
        ],
      },
    ],
  });
  assert.ok(described.usage.completion_tokens > 0);
  assert.ok(described.usage.prompt_tokens > 100, 'the image tokens are in the prompt');
});

test('a tool call comes back with an id and string arguments, and its result goes back', async () => {
  const tools = [weatherTool];
  const messages = [{ role: 'user', content: 'What is the weather in Paris?' }];
  const first = await openai.chat.completions.create({ model: 'scripted', messages, tools });
  const { message, finish_reason: finishReason } = first.choices[0];
  assert.equal(finishReason, 'tool_calls');
  assert.equal(message.tool_calls.length, 1);
  const [call] = message.tool_calls;
  assert.match(call.id, /^call_/);
  assert.equal(call.type, 'function');
  assert.equal(call.function.name, 'get_weather');
  assert.deepEqual(JSON.parse(call.function.arguments), { city: 'Paris' });

  messages.push(message, { role: 'tool', tool_call_id: call.id, content: 'sunny, 21 degrees' });
  const second = await openai.chat.completions.create({ model: 'scripted', messages, tools });
  assert.equal(second.choices[0].message.content, 'The tool said: sunny, 21 degrees');
});

test('errors are the library\'s API errors with their status and code', async () => {
  await assert.rejects(
    openai.chat.completions.create({ model: 'nobody', messages: [{ role: 'user', content: 'hi' }] }),
    (error) => {
      assert.ok(error instanceof OpenAI.NotFoundError, error.constructor.name);
      assert.equal(error.status, 404);
      assert.equal(error.code, 'model_not_found');
      assert.match(error.message, /nobody/);
      return true;
    },
  );
  await assert.rejects(
    openai.chat.completions.create({ model: 'scripted', n: 2, messages: [{ role: 'user', content: 'hi' }] }),
    (error) => {
      assert.ok(error instanceof OpenAI.BadRequestError, error.constructor.name);
      assert.equal(error.type, 'invalid_request_error');
      return true;
    },
  );
  const image = { type: 'image_url', image_url: { url: 'data:image/png;base64,%%%not base64' } };
  await assert.rejects(
    openai.chat.completions.create({ model: 'scripted', messages: [{ role: 'user', content: [image] }] }),
    (error) => error.status === 400 && /image 1/.test(error.message),
  );
  await assert.rejects(openai.models.retrieve('nobody'), (error) => error.status === 404);
  // The server is still serving.
  const completion = await openai.chat.completions.create({
    model: 'scripted',
    messages: [{ role: 'user', content: 'still there' }],
  });
  assert.equal(completion.choices[0].message.content, 'You said: still there (0 images)');
});

test('a browser origin in cors_origins passes the preflight; another does not', async () => {
  const preflight = (from) =>
    fetch(`${seer.url}/v1/chat/completions`, {
      method: 'OPTIONS',
      headers: {
        Origin: from,
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'authorization, content-type',
      },
    });
  const allowed = await preflight(origin);
  assert.equal(allowed.status, 204);
  assert.equal(allowed.headers.get('access-control-allow-origin'), origin);
  assert.match(allowed.headers.get('access-control-allow-headers'), /authorization/i);
  const refused = await preflight('http://elsewhere.test');
  assert.equal(refused.headers.get('access-control-allow-origin'), null);

  const models = await fetch(`${seer.url}/v1/models`, { headers: { Origin: origin } });
  assert.equal(models.headers.get('access-control-allow-origin'), origin);
});
