// The official `ollama` JavaScript library against seer: list, show, generate with an image,
// chat streaming (a model and an agent), chat with tools, errors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Ollama } from 'ollama';
import { startSeer, asset, weatherTool } from './harness.mjs';

let seer;
let ollama;
before(async () => {
  seer = await startSeer();
  ollama = new Ollama({ host: seer.url });
});
after(async () => {
  const exit = await seer?.stop();
  assert.equal(exit?.code, 0, `seer stopped cleanly:\n${seer?.log()}`);
});

test('list shows the model and the agents', async () => {
  const { models } = await ollama.list();
  const names = models.map((model) => model.name);
  for (const name of ['bagel-7b-mot', 'tester', 'toolsy', 'scripted']) {
    assert.ok(names.includes(name), `${name} in ${names}`);
  }
});

test('show reports the capabilities', async () => {
  const bagel = await ollama.show({ model: 'bagel-7b-mot' });
  assert.ok(bagel.capabilities.includes('vision'));
  assert.ok(bagel.capabilities.includes('completion'));
  const agent = await ollama.show({ model: 'tester' });
  assert.ok(agent.capabilities.includes('tools'));
});

test('generate describes a photo given as bytes and as base64', async () => {
  const photo = readFileSync(asset('photos/grace_hopper.jpg'));
  for (const image of [new Uint8Array(photo), photo.toString('base64')]) {
    const reply = await ollama.generate({
      model: 'bagel-7b-mot',
      prompt: 'Describe the picture.',
      images: [image],
      options: { num_predict: 4, temperature: 0 },
    });
    assert.equal(reply.done, true);
    assert.ok(reply.eval_count > 0);
    assert.ok(reply.prompt_eval_count > 100, 'the image tokens are in the prompt');
    assert.ok(reply.total_duration > 0);
  }
});

test('chat streams from BAGEL and from an agent', async () => {
  for (const model of ['bagel-7b-mot', 'tester']) {
    const stream = await ollama.chat({
      model,
      messages: [{ role: 'user', content: 'Hello there!' }],
      stream: true,
      options: { num_predict: 5 },
    });
    const pieces = [];
    let last;
    for await (const part of stream) {
      if (!part.done) pieces.push(part.message.content);
      last = part;
    }
    assert.equal(last.done, true, model);
    assert.ok(['stop', 'length'].includes(last.done_reason), last.done_reason);
    assert.ok(pieces.length >= 1, `${model} streamed ${pieces.length} pieces`);
    assert.ok(last.eval_count > 0);
  }
});

test('chat with an image streams the scripted model seeing it', async () => {
  const photo = readFileSync(asset('photos/grace_hopper.jpg')).toString('base64');
  const reply = await ollama.chat({
    model: 'scripted',
    messages: [{ role: 'user', content: 'what is this', images: [photo] }],
  });
  assert.equal(reply.message.content, 'You said: what is this (1 images)');
});

test('chat with tools returns the call and takes the result back', async () => {
  const tools = [weatherTool];
  const messages = [{ role: 'user', content: 'What is the weather in Paris?' }];
  const first = await ollama.chat({ model: 'scripted', messages, tools });
  assert.equal(first.message.tool_calls.length, 1);
  assert.equal(first.message.tool_calls[0].function.name, 'get_weather');
  assert.deepEqual(first.message.tool_calls[0].function.arguments, { city: 'Paris' });

  messages.push(first.message, { role: 'tool', content: 'sunny, 21 degrees', tool_name: 'get_weather' });
  const second = await ollama.chat({ model: 'scripted', messages, tools: [] });
  assert.equal(second.message.content, 'The tool said: sunny, 21 degrees');
});

test('an agent that sees answers "look at me" with her vision', async () => {
  const reply = await ollama.chat({
    model: 'tester',
    messages: [{ role: 'user', content: 'look at me' }],
    options: { num_predict: 4 },
  });
  assert.equal(reply.done, true);
  assert.ok(reply.prompt_eval_count > 0);
});

test('errors come back as ResponseError with the status', async () => {
  await assert.rejects(ollama.chat({ model: 'nobody', messages: [{ role: 'user', content: 'hi' }] }), (error) => {
    assert.equal(error.name, 'ResponseError');
    assert.equal(error.status_code, 404);
    assert.match(error.error, /nobody/);
    return true;
  });
  await assert.rejects(ollama.generate({ model: 'bagel-7b-mot', prompt: 'x', images: ['%%%not base64'] }), (error) => {
    assert.equal(error.status_code, 400);
    return true;
  });
  // The server is still serving.
  assert.ok((await ollama.list()).models.length >= 4);
});

test('load-only and unload requests free and reload the weights; ps and tags show them', async () => {
  const tagged = (await ollama.list()).models.find((model) => model.name === 'bagel-7b-mot');
  assert.ok(tagged.size > 0, 'the loaded weights have a size');
  assert.match(tagged.details.parameter_size, /^\d+\.\dM$/);
  assert.equal(tagged.details.quantization_level, 'F32');
  assert.ok((await ollama.ps()).models.some((model) => model.name === 'bagel-7b-mot'));

  const unloaded = await ollama.generate({ model: 'bagel-7b-mot', prompt: '', keep_alive: 0 });
  assert.equal(unloaded.done_reason, 'unload');
  assert.ok(!(await ollama.ps()).models.some((model) => model.name === 'bagel-7b-mot'));
  assert.equal((await ollama.list()).models.find((model) => model.name === 'bagel-7b-mot').size, 0);

  // The next request loads them again, and says how long that took.
  const reply = await ollama.generate({ model: 'bagel-7b-mot', prompt: 'Hi', options: { num_predict: 2 } });
  assert.ok(reply.load_duration > 0, `load_duration ${reply.load_duration}`);
  assert.ok((await ollama.ps()).models.some((model) => model.name === 'bagel-7b-mot'));

  await ollama.generate({ model: 'bagel-7b-mot', prompt: '', keep_alive: 0 });
  const loaded = await ollama.generate({ model: 'bagel-7b-mot', prompt: '', keep_alive: '10m' });
  assert.equal(loaded.done_reason, 'load');
  const running = (await ollama.ps()).models.find((model) => model.name === 'bagel-7b-mot');
  const expires = Date.parse(running.expires_at) - Date.now();
  assert.ok(expires > 9 * 60e3 && expires <= 10 * 60e3, `expires in ${expires} ms`);
  assert.equal(running.size_vram, 0, 'on the CPU');
});
