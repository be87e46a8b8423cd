// The mixed load of tools/bench/soak.sh against a running `seer run` (tools/bench/soak.yaml)
// and its report. For --seconds it keeps up, at once:
//   - WebSocket chat sessions (docs/protocol-websocket.md) with the agent `soak`, each chatting
//     with a pause between chats and reconnecting after --chats-per-session; every 4th chat is
//     a light phrase ("turn the lamp red"), which the agent turns into one MQTT command;
//   - Ollama API clients cycling through /api/tags, /api/chat with an image, /api/generate;
//   - MQTT trigger messages at --mqtt-rate per second (mosquitto_pub, QoS 1), each of which
//     makes the agent publish one report (counted by mosquitto_sub, QoS 1).
// Every --sample-seconds it samples the seer process (--pid): resident memory, open file
// descriptors, threads and CPU. At the end it prints throughput, latency percentiles, errors,
// the samples, and the verdict: memory growth after the warm-up below --max-growth percent,
// and no MQTT message lost (reports and lamp commands seen by the subscriber vs. expected).
//   node tools/bench/soak_load.mjs --http-port P --mqtt-port M --pid PID --image FILE
//        [--seconds 600] [--warmup 120] [--sessions 16] [--api-clients 4] [--mqtt-rate 2]
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';

// `ws` is installed for the compatibility tests (tools/dev/install-node-deps.sh).
const require = createRequire(new URL('../../tests/node/package.json', import.meta.url));
const WebSocket = require('ws');

const { values: options } = parseArgs({
  options: {
    'http-port': { type: 'string' },
    'mqtt-port': { type: 'string' },
    pid: { type: 'string' },
    image: { type: 'string' },
    seconds: { type: 'string', default: '600' },
    warmup: { type: 'string' },
    sessions: { type: 'string', default: '16' },
    'chats-per-session': { type: 'string', default: '20' },
    'chat-pause-ms': { type: 'string', default: '200' },
    'api-clients': { type: 'string', default: '4' },
    'api-pause-ms': { type: 'string', default: '50' },
    'mqtt-rate': { type: 'string', default: '2' },
    'sample-seconds': { type: 'string', default: '10' },
    'max-growth': { type: 'string', default: '5' },
  },
});
for (const required of ['http-port', 'mqtt-port', 'pid', 'image']) {
  if (!options[required]) throw new Error(`--${required} is required`);
}
const seconds = Number(options.seconds);
// Warm-up: allocator pools, caches and connection buffers fill up; memory is judged after it.
const warmupSeconds = options.warmup ? Number(options.warmup) : Math.min(120, seconds / 5);
const pid = options.pid;
const httpBase = `http://127.0.0.1:${options['http-port']}`;
const mqttArgs = ['-h', '127.0.0.1', '-p', options['mqtt-port']];
const imageBase64 = readFileSync(options.image).toString('base64');
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// ---- what happened ----
const latencies = { 'ws chat': [], 'api tags': [], 'api chat+image': [], 'api generate': [] };
const errors = [];
const noteError = (what) => {
  errors.push(`${((performance.now() - began) / 1000).toFixed(1)} s: ${what}`);
};
const mqtt = { triggersSent: 0, reports: 0, probeReports: 0, lampCommands: 0, lampExpected: 0 };
let began = performance.now();
let loadRunning = true;
const elapsed = () => (performance.now() - began) / 1000;

// ---- the seer process, from /proc ----
const ticksPerSecond = 100; // USER_HZ on Linux
function sampleProcess() {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return {
    t: elapsed(),
    rssMiB: Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024,
    threads: Number(/Threads:\s+(\d+)/.exec(status)[1]),
    fds: readdirSync(`/proc/${pid}/fd`).length,
    cpuSeconds: (Number(fields[11]) + Number(fields[12])) / ticksPerSecond, // utime + stime
    chats: latencies['ws chat'].length,
    apiRequests: latencies['api tags'].length + latencies['api chat+image'].length + latencies['api generate'].length,
    triggersSent: mqtt.triggersSent,
    reports: mqtt.reports,
    lampCommands: mqtt.lampCommands,
  };
}

// ---- MQTT: one subscriber counting what seer published ----
const subscriber = spawn('mosquitto_sub', [...mqttArgs, '-q', '1', '-i', `soak-sub-${process.pid}`,
  '-t', 'soak/report', '-t', 'soak/probe_report', '-t', 'zigbee2mqtt/soak_lamp/set', '-F', '%t'],
{ stdio: ['ignore', 'pipe', 'inherit'] });
createInterface({ input: subscriber.stdout }).on('line', (topic) => {
  if (topic === 'soak/report') mqtt.reports += 1;
  else if (topic === 'soak/probe_report') mqtt.probeReports += 1;
  else if (topic === 'zigbee2mqtt/soak_lamp/set') mqtt.lampCommands += 1;
});

function publishOnce(topic, message) {
  return new Promise((resolve) => {
    spawn('mosquitto_pub', [...mqttArgs, '-q', '1', '-t', topic, '-m', message], { stdio: 'ignore' })
      .on('exit', resolve);
  });
}

// Until the probe's report comes back the subscriptions of seer and of our subscriber may not
// be in place; nothing is counted before.
async function waitForMqttPath() {
  const deadline = performance.now() + 30_000;
  while (mqtt.probeReports === 0) {
    if (performance.now() > deadline) throw new Error('no probe report within 30 s: seer, its mqtt plugin or mosquitto_sub is not connected');
    await publishOnce('soak/probe', '{}');
    await sleep(300);
  }
}

// A steady stream of trigger messages from one long-lived QoS 1 publisher (-l: a message per line).
async function publishTriggers() {
  const publisher = spawn('mosquitto_pub', [...mqttArgs, '-q', '1', '-i', `soak-pub-${process.pid}`,
    '-t', 'soak/trigger', '-l'], { stdio: ['pipe', 'ignore', 'inherit'] });
  const closed = new Promise((resolve) => publisher.on('exit', resolve));
  const period = 1000 / Number(options['mqtt-rate']);
  const start = performance.now();
  while (loadRunning) {
    publisher.stdin.write(`${JSON.stringify({ seq: mqtt.triggersSent })}\n`);
    mqtt.triggersSent += 1;
    const next = start + mqtt.triggersSent * period;
    await sleep(Math.max(0, next - performance.now()));
  }
  publisher.stdin.end();
  const code = await closed;
  if (code !== 0) noteError(`mosquitto_pub exited with ${code}`);
}

// ---- WebSocket chat sessions that come and go ----
const lampColors = ['red', 'blue', 'green', 'warm white'];
function runSessionOnce(index, generation) {
  const chatsPerSession = Number(options['chats-per-session']);
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${options['http-port']}/ws`);
    let sent = 0;
    let started = 0;
    let lightChat = false;
    let finished = false;
    const finish = (what) => {
      if (finished) return;
      finished = true;
      if (what) {
        noteError(`ws session ${index}.${generation}: ${what}`);
        ws.terminate();
      } else {
        ws.close();
      }
      resolve();
    };
    const sendChat = () => {
      sent += 1;
      lightChat = sent % 4 === 0;
      const text = lightChat
        ? `please turn the lamp ${lampColors[(index + sent) % lampColors.length]}`
        : `message ${sent} of session ${index}.${generation}`;
      started = performance.now();
      ws.send(JSON.stringify({ type: 'chat', id: sent, text }));
    };
    ws.on('open', () => ws.send(JSON.stringify({ type: 'hello', session: `soak-${index}-${generation}`, agent: 'soak' })));
    ws.on('message', async (data) => {
      const frame = JSON.parse(data.toString());
      if (frame.type === 'welcome') return sendChat();
      if (frame.type === 'error') return finish(`error ${frame.code}: ${frame.message}`);
      if (frame.type !== 'done') return undefined;
      latencies['ws chat'].push(performance.now() - started);
      if (lightChat) mqtt.lampExpected += 1;
      if (sent >= chatsPerSession || !loadRunning) return finish();
      await sleep(Number(options['chat-pause-ms']));
      return loadRunning ? sendChat() : finish();
    });
    ws.on('error', (error) => finish(`socket error: ${error.message}`));
    ws.on('close', (code) => finish(`closed with ${code} before its chats were done`));
  });
}
async function runSession(index) {
  for (let generation = 0; loadRunning; generation += 1) await runSessionOnce(index, generation);
}

// ---- Ollama API clients ----
async function timedRequest(kind, path, body) {
  const started = performance.now();
  try {
    const response = await fetch(`${httpBase}${path}`, body === undefined ? {} : {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
    });
    const text = await response.text();
    if (response.status !== 200) return noteError(`${kind}: HTTP ${response.status} ${text.slice(0, 200)}`);
    const reply = JSON.parse(text);
    if (path !== '/api/tags' && reply.done !== true) return noteError(`${kind}: not done: ${text.slice(0, 200)}`);
    latencies[kind].push(performance.now() - started);
  } catch (error) {
    noteError(`${kind}: ${error.message}`);
  }
  return undefined;
}
async function runApiClient(index) {
  for (let round = index; loadRunning; round += 1) {
    switch (round % 3) {
      case 0:
        await timedRequest('api tags', '/api/tags');
        break;
      case 1:
        await timedRequest('api chat+image', '/api/chat', {
          model: 'scripted', stream: false,
          messages: [{ role: 'user', content: `what is in this picture? (${round})`, images: [imageBase64] }],
        });
        break;
      default:
        await timedRequest('api generate', '/api/generate', { model: 'scripted', stream: false, prompt: `count to ${round}` });
    }
    await sleep(Number(options['api-pause-ms']));
  }
}

// Bus counters from /metrics: how many frames the camera published, how many MQTT messages
// the mqtt plugin brought in.
async function busPublished() {
  const text = await (await fetch(`${httpBase}/metrics`)).text();
  const count = (topic) => {
    const line = text.split('\n').find((l) => l.startsWith(`seer_bus_published_total{topic="${topic}"}`));
    return line ? Number(line.split(' ').pop()) : 0;
  };
  return { frames: count('camera/webcam/frame'), triggersIn: count('mqtt/in/soak/trigger') };
}

// ---- the run ----
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
function latencyLine(kind, values, loadSeconds) {
  if (values.length === 0) return `| ${kind} | 0 | — | — | — | — | — |`;
  const sorted = [...values].sort((a, b) => a - b);
  const ms = (v) => v.toFixed(1);
  return `| ${kind} | ${values.length} | ${(values.length / loadSeconds).toFixed(1)} | ${ms(percentile(sorted, 50))} | ${ms(percentile(sorted, 90))} | ${ms(percentile(sorted, 99))} | ${ms(sorted[sorted.length - 1])} |`;
}
function sampleLine(s) {
  return `| ${s.t.toFixed(0)} | ${s.rssMiB.toFixed(1)} | ${s.fds} | ${s.threads} | ${s.cpuSeconds.toFixed(1)} | ${s.chats} | ${s.apiRequests} | ${s.triggersSent} | ${s.reports} | ${s.lampCommands} |`;
}

await waitForMqttPath();
const busBefore = await busPublished();
began = performance.now();
const samples = [sampleProcess()];
console.log(`soak: ${seconds} s of load (warm-up ${warmupSeconds} s), samples every ${options['sample-seconds']} s`);
console.log('| t (s) | RSS (MiB) | fds | threads | CPU (s) | ws chats | api requests | triggers sent | reports | lamp commands |');
console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
console.log(sampleLine(samples[0]));
const sampler = setInterval(() => {
  const sample = sampleProcess();
  samples.push(sample);
  console.log(sampleLine(sample));
}, Number(options['sample-seconds']) * 1000);

const load = [
  publishTriggers(),
  ...Array.from({ length: Number(options.sessions) }, (_, index) => runSession(index)),
  ...Array.from({ length: Number(options['api-clients']) }, (_, index) => runApiClient(index)),
];
await sleep(seconds * 1000);
loadRunning = false;
await Promise.all(load);
const loadSeconds = elapsed();
// What seer should still publish is in flight for a moment: reports take a camera frame first.
for (let waited = 0; waited < 15_000; waited += 100) {
  if (mqtt.reports >= mqtt.triggersSent && mqtt.lampCommands >= mqtt.lampExpected) break;
  await sleep(100);
}
const busAfter = await busPublished();
const busSeconds = elapsed();
clearInterval(sampler);
const last = sampleProcess();
samples.push(last);
console.log(sampleLine(last));
subscriber.kill();

// ---- the verdict ----
const afterWarmup = samples.filter((s) => s.t >= warmupSeconds);
const baseline = afterWarmup[0] ?? last;
const growth = (100 * (last.rssMiB - baseline.rssMiB)) / baseline.rssMiB;
const peak = Math.max(...afterWarmup.map((s) => s.rssMiB));
const lostReports = Math.max(0, mqtt.triggersSent - mqtt.reports);
const lostLamp = Math.max(0, mqtt.lampExpected - mqtt.lampCommands);
const maxGrowth = Number(options['max-growth']);

console.log(`\nload: ${loadSeconds.toFixed(1)} s; seer used ${((last.cpuSeconds - samples[0].cpuSeconds) / loadSeconds * 100).toFixed(0)} % of a core`);
console.log('| requests | count | per second | p50 (ms) | p90 (ms) | p99 (ms) | max (ms) |');
console.log('|---|---:|---:|---:|---:|---:|---:|');
for (const [kind, values] of Object.entries(latencies)) console.log(latencyLine(kind, values, loadSeconds));
console.log(`\nerrors: ${errors.length}`);
for (const error of errors.slice(0, 20)) console.log(`  ${error}`);
const frames = busAfter.frames - busBefore.frames;
console.log(`camera: ${frames} frames published on the bus (${(frames / busSeconds).toFixed(1)} per second)`);
console.log(`MQTT triggers: ${mqtt.triggersSent} sent, ${busAfter.triggersIn - busBefore.triggersIn} reached seer's bus, ${mqtt.reports} reports received (${lostReports} lost)`);
console.log(`MQTT lamp commands: ${mqtt.lampExpected} expected, ${mqtt.lampCommands} received (${lostLamp} lost)`);
console.log(`memory after the warm-up (t = ${baseline.t.toFixed(0)} s): ${baseline.rssMiB.toFixed(1)} MiB; at the end ${last.rssMiB.toFixed(1)} MiB (${growth >= 0 ? '+' : ''}${growth.toFixed(2)} %), peak ${peak.toFixed(1)} MiB`);
console.log(`open fds: ${baseline.fds} after the warm-up, ${last.fds} at the end; threads: ${baseline.threads} → ${last.threads}`);
const failures = [];
if (growth >= maxGrowth) failures.push(`memory grew ${growth.toFixed(2)} % after the warm-up (limit ${maxGrowth} %)`);
if (lostReports + lostLamp > 0) failures.push(`${lostReports + lostLamp} MQTT messages lost`);
if (errors.length > 0) failures.push(`${errors.length} errors`);
console.log(failures.length === 0 ? 'PASS' : `FAIL: ${failures.join('; ')}`);
process.exit(failures.length === 0 ? 0 : 1);
