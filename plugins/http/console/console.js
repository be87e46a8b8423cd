'use strict';
// seer's web console: chat with a model or an agent (Ollama's /api/chat, streamed NDJSON), the
// latest camera frame with the faces of an agent's last vision report, and the plugins'
// health. Plain JavaScript, polling seer's own /api/seer/* routes.

const $ = (id) => document.getElementById(id);
const agents = new Set(); // the models that are agents (family "agent" in /api/tags)
let history = []; // the conversation so far, sent whole to models (agents keep their own)
let frameUrl = null;

// One session per browser, so an agent keeps the conversation across page loads.
const session = localStorage.getItem('seer-session') ?? `console-${crypto.randomUUID()}`;
localStorage.setItem('seer-session', session);

// fetch() with the bearer token, asked for once when the server answers 401.
async function api(path, options = {}) {
  for (;;) {
    const token = sessionStorage.getItem('seer-token');
    const headers = { ...options.headers };
    if (token) headers.Authorization = `Bearer ${token}`;
    const response = await fetch(path, { ...options, headers });
    if (response.status !== 401) return response;
    // Another request may have asked for the token while this one was on its way.
    if (sessionStorage.getItem('seer-token') !== token) continue;
    const entered = prompt('This seer needs its bearer token:');
    if (!entered) return response;
    sessionStorage.setItem('seer-token', entered.trim());
  }
}

async function errorOf(response) {
  try {
    return (await response.json()).error ?? response.statusText;
  } catch {
    return response.statusText;
  }
}

function notice(text) {
  $('notice').textContent = text;
}

function addMessage(role, text) {
  const element = document.createElement('div');
  element.className = `message ${role}`;
  element.textContent = text;
  $('messages').append(element);
  element.scrollIntoView({ block: 'end' });
  return element;
}

async function loadModels() {
  const response = await api('/api/tags');
  if (!response.ok) return notice(`models: ${await errorOf(response)}`);
  const { models } = await response.json();
  for (const model of models) {
    if (model.details?.family === 'agent') agents.add(model.name);
    $('model').append(new Option(model.name, model.name));
  }
}

// Reads an NDJSON body line by line as it arrives.
async function* ndjson(body) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let newline;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, newline).trim();
      buffer = buffer.slice(newline + 1);
      if (line) yield JSON.parse(line);
    }
  }
  if (buffer.trim()) yield JSON.parse(buffer);
}

async function send(text) {
  const model = $('model').value;
  const message = { role: 'user', content: text };
  addMessage('user', text);
  const bubble = addMessage('assistant', '…');
  const messages = agents.has(model) ? [message] : [...history, message];
  const response = await api('/api/chat', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Seer-Session': session },
    body: JSON.stringify({ model, messages, stream: true }),
  });
  if (!response.ok) {
    bubble.textContent = await errorOf(response);
    bubble.classList.add('error');
    return;
  }
  let answer = '';
  for await (const chunk of ndjson(response.body)) {
    if (chunk.error) {
      bubble.classList.add('error');
      answer += `\n${chunk.error}`;
    }
    answer += chunk.message?.content ?? '';
    bubble.textContent = answer;
    bubble.scrollIntoView({ block: 'end' });
  }
  history.push(message, { role: 'assistant', content: answer });
}

// The agent whose report is shown: the one being talked to, else any that has a report.
function reportAgent(status) {
  const model = $('model').value;
  return agents.has(model) ? model : status.agents_with_reports[0];
}

function showPlugins(plugins) {
  $('plugins').replaceChildren(
    ...plugins.map((plugin) => {
      const row = document.createElement('tr');
      for (const text of [plugin.instance, plugin.state, plugin.reason]) {
        row.insertCell().textContent = text;
      }
      row.cells[1].className = plugin.state;
      return row;
    }),
  );
}

function showCameras(cameras) {
  const select = $('camera');
  const names = cameras.map((camera) => camera.name);
  if (names.join() === [...select.options].map((option) => option.value).join()) return;
  const chosen = select.value;
  select.replaceChildren(...names.map((name) => new Option(name, name)));
  if (names.includes(chosen)) select.value = chosen;
}

// Face boxes from the report, scaled from the report's frame to the image as shown.
function drawFaces(report) {
  const image = $('frame');
  const canvas = $('boxes');
  canvas.width = image.clientWidth;
  canvas.height = image.clientHeight;
  const context = canvas.getContext('2d');
  context.clearRect(0, 0, canvas.width, canvas.height);
  if (!report?.frame || !report.faces) return;
  const scale = canvas.width / report.frame.width;
  context.strokeStyle = '#2ee66b';
  context.lineWidth = 2;
  for (const face of report.faces) {
    const [x, y, width, height] = face.box;
    context.strokeRect(x * scale, y * scale, width * scale, height * scale);
  }
}

let lastReport = null;

async function pollStatus() {
  const response = await api('/api/seer/status');
  if (!response.ok) return notice(`status: ${await errorOf(response)}`);
  const status = await response.json();
  showPlugins(status.plugins);
  showCameras(status.cameras);
  const agent = reportAgent(status);
  $('report-agent').textContent = agent ? `(${agent})` : '';
  if (!agent) return;
  const report = await api(`/api/seer/agents/${encodeURIComponent(agent)}/report`);
  lastReport = report.ok ? await report.json() : null;
  $('report').textContent = lastReport ? JSON.stringify(lastReport, null, 2) : 'None yet.';
}

async function pollFrame() {
  const camera = $('camera').value;
  const response = await api(`/api/seer/frame?camera=${encodeURIComponent(camera)}`);
  $('frame-note').hidden = response.ok;
  if (!response.ok) return;
  if (frameUrl) URL.revokeObjectURL(frameUrl);
  frameUrl = URL.createObjectURL(await response.blob());
  $('frame').src = frameUrl;
}

// Runs `poll` every `ms` milliseconds, one at a time; a failure shows and polling goes on.
function every(ms, poll) {
  const run = async () => {
    try {
      await poll();
    } catch (error) {
      notice(String(error));
    }
    setTimeout(run, ms);
  };
  run();
}

$('composer').addEventListener('submit', async (event) => {
  event.preventDefault();
  const text = $('prompt').value.trim();
  if (!text) return;
  $('prompt').value = '';
  $('send').disabled = true;
  try {
    await send(text);
  } catch (error) {
    addMessage('assistant error', String(error));
  } finally {
    $('send').disabled = false;
  }
});
$('model').addEventListener('change', () => {
  history = [];
  $('messages').replaceChildren();
});
$('frame').addEventListener('load', () => drawFaces(lastReport));

loadModels().then(() => {
  every(2000, pollStatus);
  every(1000, pollFrame);
});
