// Starts the real `seer run` for the compatibility tests: the tiny BAGEL fixture checkpoint
// (model `bagel-7b-mot`), a deterministic chat model (`scripted`, tests/test_plugins),
// `firehose` (the same without pauses), a camera reading a photo, the faces plugin and two agents — `tester` (BAGEL, sees) and
// `toolsy` (the scripted model) — behind the http plugin on an ephemeral loopback port.
// ctest passes the paths in the environment (tests/node/tests.cmake).
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run this test through ctest (tests/node/tests.cmake)`);
  return value;
};

export const asset = (relative) => join(env('SEER_ASSETS_DIR'), relative);

// Where a test leaves what a person may want to look at (screenshots).
export function outputDir() {
  const dir = env('SEER_TEST_OUTPUT_DIR');
  mkdirSync(dir, { recursive: true });
  return dir;
}

// `http` holds extra keys of the http plugin (token_env, cors_origins, ...).
export function fixtureConfig({ http = {} } = {}) {
  const httpKeys = Object.entries({ port: 0, workers: 4, ...http })
    .map(([key, value]) => `    ${key}: ${JSON.stringify(value)}`)
    .join('\n');
  return `seer:
  plugin_path: [${JSON.stringify(env('SEER_TEST_PLUGIN_DIR'))}]
plugins:
  http:
${httpKeys}
  webcam:
    plugin: camera
    source: {images: ${JSON.stringify(asset('photos/grace_hopper.jpg'))}}
  faces: {detector: haar}
  bagel:
    model: ${JSON.stringify(join(env('SEER_SOURCE_DIR'), 'tests/fixtures/bagel-tiny'))}
    tokenizer: ${JSON.stringify(asset('tokenizer/tokenizer.json'))}
  scripted: {plugin: scripted-chat, word_delay_ms: 5}
  firehose: {plugin: scripted-chat, model_name: firehose}
agents:
  - name: tester
    llm: {backend: bagel, options: {num_predict: 6}}
    vision:
      services: {camera: webcam, vision_language_model: bagel}
      description_max_tokens: 4
    triggers: [{phrases: [look at me], action: look}]
  - name: toolsy
    llm: {backend: scripted}
    vision: {enabled: false}
`;
}

// A function tool in the shape both Ollama's and OpenAI's clients send; the scripted model
// calls it with {"city": <the last word of the user's message>}.
export const weatherTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'The weather in a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};

// Writes `text` to a new temporary file and returns its path.
export function temporaryFile(name, text) {
  const file = join(mkdtempSync(join(tmpdir(), 'seer-node-')), name);
  writeFileSync(file, text);
  return file;
}

// Starts `seer run` with `config` (YAML text), or seer with `args` (e.g. ['serve', ...]);
// resolves once /healthz answers 200.
export async function startSeer({ config = fixtureConfig(), args, environment = {}, readyTimeoutMs = 60000 } = {}) {
  const argv = args ?? ['run', '--config', temporaryFile('seer.yaml', config)];
  const child = spawn(env('SEER_BINARY'), [...argv, '--log-level', 'info'], {
    env: { ...process.env, ...environment },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  let exited = null;
  const exit = new Promise((resolve) => child.on('exit', (code, signal) => resolve((exited = { code, signal }))));
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`seer did not listen within ${readyTimeoutMs} ms:\n${log}`)), readyTimeoutMs);
    const onData = (chunk) => {
      log += chunk;
      const found = /listening on (?:127\.0\.0\.1|\[::1\]|::1):(\d+)/.exec(log);
      if (found) {
        clearTimeout(timer);
        resolve(Number(found[1]));
      }
    };
    child.stdout.setEncoding('utf8').on('data', onData);
    child.stderr.setEncoding('utf8').on('data', onData);
    exit.then(() => reject(new Error(`seer exited (${JSON.stringify(exited)}) before listening:\n${log}`)));
  });
  // With tls_certificate, the start's line says `serving https://...`.
  const url = `${/serving https:/.test(log) ? 'https' : 'http'}://127.0.0.1:${port}`;
  const headers = environment.SEER_TEST_TOKEN ? { Authorization: `Bearer ${environment.SEER_TEST_TOKEN}` } : {};
  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    const health = await fetch(`${url}/healthz`, { headers }).catch(() => null);
    if (health?.status === 200) break;
    if (Date.now() > deadline) throw new Error(`seer was not healthy within ${readyTimeoutMs} ms:\n${log}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    port,
    log: () => log,
    // SIGTERM, as systemd stops it; resolves to the exit status.
    async stop() {
      if (!exited) child.kill('SIGTERM');
      return exit;
    },
  };
}
