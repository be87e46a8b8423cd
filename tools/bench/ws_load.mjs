// Load on seer's WebSocket protocol (docs/protocol-websocket.md) from a second process: N
// sessions at once, each saying hello and then M chats one after another (each waiting for its
// done), with the `ws` package of tests/node. Prints the chats per second, the latency from
// chat to done and to the first token (p50, p90, p99, max), every error frame or unexpected
// close, and, given the server's --pid, its resident memory while the sessions run.
//   node tools/bench/ws_load.mjs --url ws://127.0.0.1:8095/ws [--sessions 200] [--messages 20]
//        [--agent NAME] [--token TOKEN] [--pid PID]
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

// `ws` is installed for the compatibility tests (tools/dev/install-node-deps.sh).
const require = createRequire(new URL('../../tests/node/package.json', import.meta.url));
const WebSocket = require('ws');

const { values: options } = parseArgs({
  options: {
    url: { type: 'string', default: 'ws://127.0.0.1:8095/ws' },
    sessions: { type: 'string', default: '200' },
    messages: { type: 'string', default: '20' },
    agent: { type: 'string' },
    token: { type: 'string' },
    pid: { type: 'string' },
  },
});
const sessions = Number(options.sessions);
const messages = Number(options.messages);

const residentMiB = () => {
  if (!options.pid) return null;
  const status = readFileSync(`/proc/${options.pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024;
};

const errors = [];
const chatLatencies = [];
const firstTokenLatencies = [];
const memory = [];
let chatsDone = 0;

// One session: hello, then `messages` chats in turn. Resolves when all are done.
function runSession(index) {
  return new Promise((resolve) => {
    const ws = new WebSocket(options.url);
    let sent = 0;
    let started = 0;
    let firstToken = 0;
    let finished = false;
    const fail = (what) => {
      errors.push(`session ${index}: ${what}`);
      finished = true;
      ws.terminate();
      resolve();
    };
    const sendChat = () => {
      sent += 1;
      started = performance.now();
      firstToken = 0;
      ws.send(JSON.stringify({ type: 'chat', id: sent, text: `message ${sent} of session ${index}` }));
    };
    ws.on('open', () => {
      const hello = { type: 'hello', session: `load-${index}` };
      if (options.agent) hello.agent = options.agent;
      if (options.token) hello.token = options.token;
      ws.send(JSON.stringify(hello));
    });
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString());
      if (frame.type === 'welcome') return sendChat();
      if (frame.type === 'token') {
        if (!firstToken) firstToken = performance.now();
        return undefined;
      }
      if (frame.type === 'done') {
        const now = performance.now();
        chatLatencies.push(now - started);
        firstTokenLatencies.push((firstToken || now) - started);
        chatsDone += 1;
        if (sent < messages) return sendChat();
        finished = true;
        ws.close();
        return resolve();
      }
      if (frame.type === 'error') return fail(`error ${frame.code}: ${frame.message}`);
      return undefined;
    });
    ws.on('error', (error) => fail(`socket error: ${error.message}`));
    ws.on('close', (code) => {
      if (!finished) fail(`closed with ${code} before its chats were done`);
    });
  });
}

const percentile = (values, p) => {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};
const summary = (values) =>
  ['p50', 'p90', 'p99']
    .map((name) => `${name} ${percentile(values, Number(name.slice(1))).toFixed(1)}`)
    .concat(`max ${Math.max(...values).toFixed(1)} ms`)
    .join(', ');

const startMemory = residentMiB();
const sampler = setInterval(() => {
  const mib = residentMiB();
  if (mib !== null) memory.push(mib);
}, 250);
const began = performance.now();
await Promise.all(Array.from({ length: sessions }, (_, index) => runSession(index)));
const seconds = (performance.now() - began) / 1000;
clearInterval(sampler);
const endMemory = residentMiB();

console.log(`${sessions} sessions × ${messages} chats against ${options.url}${options.agent ? ` (agent ${options.agent})` : ''}`);
console.log(`chats done: ${chatsDone} of ${sessions * messages} in ${seconds.toFixed(2)} s: ${(chatsDone / seconds).toFixed(0)} chats/s`);
console.log(`chat → done: ${summary(chatLatencies)}`);
console.log(`chat → first token: ${summary(firstTokenLatencies)}`);
if (startMemory !== null) {
  const peak = Math.max(startMemory, ...memory, endMemory);
  console.log(`seer resident memory: ${startMemory.toFixed(1)} MiB before, ${peak.toFixed(1)} MiB peak, ${endMemory.toFixed(1)} MiB after`);
}
console.log(`errors: ${errors.length}`);
for (const error of errors.slice(0, 20)) console.log(`  ${error}`);
process.exit(errors.length === 0 && chatsDone === sessions * messages ? 0 : 1);
