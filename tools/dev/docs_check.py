#!/usr/bin/env python3
"""Runs every command quoted in seer's docs, or checks that a reviewed mapping covers it.

    tools/dev/docs_check.py BUILD_DIR [--only FILE.md ...] [--map FILE] [--list]

Commands are taken from the fenced blocks of the user-facing Markdown (README.md, docs/**,
plugins/*/README.md, examples/**/README.md, agents/**/README.md, tests/node/README.md,
tools/bench/README.md):
every command of a ```sh / ```bash / ```shell block (a trailing backslash continues a line, a
<<WORD heredoc belongs to its command) and every `$ ` line of a ```console block, whose
following lines are the output the doc promises. A `$ ` line in any other block is an error:
label the block `console` or drop the prompt.

Each command is either
  * MAPPED: it matches a `map:` record of tools/dev/docs-commands.txt, which names the ctest
    (checked against `ctest -N` of BUILD_DIR) or the CI script (checked to be run by .ci/run)
    that exercises the same thing, and says why it cannot run here (root, systemd, a 29 GB
    download, a GPU, a rebuild of the tree under test, ...); or
  * RUN, in a sandbox under a fresh temporary folder:
      - the working folder mirrors the repository (symlinks) with `build` -> BUILD_DIR, so
        `build/...` means the build under test and whatever a command writes lands in the
        sandbox; each command starts there in a fresh `bash -c` (a `cd` does not carry over);
      - `seer` on PATH is BUILD_DIR's binary: a user-facing `seer ...` shown without
        `build/...` (the installed command) runs the build's binary, which finds the build's
        plugins the way an installed one finds its own (tests/install covers the installed
        layout itself);
      - HOME is the sandbox's, with ~/.cache/seer/assets -> $SEER_ASSETS_DIR;
      - paths a reader's machine has are mapped into the sandbox: the BAGEL checkpoint
        (/var/lib/seer/models/BAGEL-7B-MoT, /srv/models/..., /models/...) is the fixture
        tests/fixtures/bagel-tiny plus the assets' tokenizer, /etc/seer/ is configs/,
        /var/cache/seer a sandbox folder, photo.jpg and me.jpg are a test photo;
      - the port 8095 of the docs is a loopback `seer run` started for the check: the http
        plugin, the camera `webcam` reading a photo, faces, a scripted chat model `scripted`
        (tests/test_plugins), the agent `sophia` (who has looked once, so her report exists)
        and, with libtorch, the fixture as `bagel-7b-mot`; its Ollama API is also
        SEER_OLLAMA_URL, so configs/default.yaml's Sophia thinks with the scripted model;
      - 1883 is a mosquitto on a random loopback port (also SEER_MQTT_PORT);
      - `curl` fails on an HTTP error (-f) and each command must exit 0, or, in a console
        block that shows output, print every shown line (`...` skips) in order;
      - a `server:` record marks commands that run until stopped: they are started on a port
        of their own, must answer /api/version, then get SIGINT and must exit 0;
      - a `torch:` record marks commands that need libtorch: in a build without it they are
        skipped and listed as skipped.
  * A `<!-- docs-check: file NAME -->` line right before a fenced block writes that block
    into the sandbox as NAME, so a doc can show a file and then the command that uses it.

Commands that would change the machine or reach the network (sudo, apt, systemctl, docker,
pip, ...) are never run: unmapped, they fail the check.

The check fails, naming FILE:LINE, on a command that fails or is neither run nor mapped, and
on a mapping whose test or CI script does not exist, or a record that matches nothing. It writes only under its temporary
folder (removed at the end) and the build folder. Exit code: 0 all good, 1 a failure.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[2]
SHELL_LANGS = {"sh", "bash", "shell"}
COMMAND_TIMEOUT_S = 120
SERVER_READY_TIMEOUT_S = 60
# Commands that may talk to the sandbox's seer or mosquitto: those start before the first one.
NEEDS_SERVICES = re.compile(r"8095|1883|mosquitto|\bseer (agent|run|serve|doctor)\b")
# Never run, whatever the sandbox: they change the machine (CI runs as root) or reach the
# network. Such a command must be mapped.
NEVER_RUN = re.compile(r"(^|[;&|(]\s*|\s)(sudo|apt|apt-get|dpkg|systemctl|journalctl|docker|pip|npm|reboot)\s")


@dataclasses.dataclass
class Command:
    file: Path
    line: int
    text: str  # what bash runs (continuations and heredoc included)
    expected_output: list[str] | None = None  # console blocks only

    @property
    def where(self) -> str:
        return f"{self.file.relative_to(SOURCE) if self.file.is_relative_to(SOURCE) else self.file}:{self.line}"

    @property
    def key(self) -> str:
        """The command as records match it: first line of a heredoc, one line, no comment."""
        head = self.text.split("\n<<HEREDOC>>")[0]
        joined = re.sub(r"\\\n\s*", " ", head).split("\n")[0]
        return " ".join(strip_comment(joined).split())


@dataclasses.dataclass
class Record:
    kind: str  # map, torch, server
    patterns: list[re.Pattern]
    fields: dict[str, str]
    line: int
    used: bool = False


def strip_comment(line: str) -> str:
    """Drops a trailing `# comment` that is outside quotes."""
    quote = None
    for i, c in enumerate(line):
        if quote:
            if c == quote:
                quote = None
        elif c in "'\"":
            quote = c
        elif c == "#" and (i == 0 or line[i - 1].isspace()):
            return line[:i].rstrip()
    return line


def doc_files() -> list[Path]:
    files = [SOURCE / "README.md", SOURCE / "tests/node/README.md", SOURCE / "tools/bench/README.md"]
    files += sorted((SOURCE / "docs").rglob("*.md"))
    files += sorted((SOURCE / "plugins").glob("*/README.md"))
    files += sorted((SOURCE / "examples").rglob("README.md"))
    files += sorted((SOURCE / "agents").rglob("README.md"))
    return [f for f in files if f.is_file()]


def extract(path: Path, errors: list[str]) -> tuple[list[Command], dict[str, str]]:
    """The commands of one Markdown file, and the files its docs-check markers define."""
    commands: list[Command] = []
    files: dict[str, str] = {}
    lines = path.read_text(encoding="utf-8").split("\n")
    i = 0
    pending_file = None
    while i < len(lines):
        line = lines[i]
        marker = re.fullmatch(r"\s*<!-- docs-check: file (\S+) -->\s*", line)
        if marker:
            pending_file = marker.group(1)
            i += 1
            continue
        fence = re.match(r"^(\s*)(```+)\s*([\w+-]*)", line)
        if not fence:
            if line.strip():
                pending_file = None
            i += 1
            continue
        indent, ticks, lang = fence.group(1), fence.group(2), fence.group(3).lower()
        start = i
        body: list[str] = []
        i += 1
        while i < len(lines) and not lines[i].strip().startswith(ticks):
            body.append(lines[i][len(indent):] if lines[i].startswith(indent) else lines[i])
            i += 1
        i += 1  # the closing fence
        if pending_file:
            files[pending_file] = "\n".join(body) + "\n"
            pending_file = None
        if lang in SHELL_LANGS:
            commands += shell_commands(path, start + 1, body)
        elif lang == "console":
            commands += console_commands(path, start + 1, body)
        else:
            for n, text in enumerate(body, start + 2):
                if text.startswith("$ "):
                    errors.append(f"{path.relative_to(SOURCE) if path.is_relative_to(SOURCE) else path}:{n}: "
                                  f"a `$ ` command in a ```{lang or '(no language)'} block: label the block "
                                  "`console` so the command is checked, or drop the prompt")
    return commands, files


def shell_commands(path: Path, fence_line: int, body: list[str]) -> list[Command]:
    out = []
    n = 0
    while n < len(body):
        text = body[n]
        line_no = fence_line + 1 + n
        n += 1
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        while strip_comment(text).endswith("\\") and n < len(body):
            text += "\n" + body[n]
            n += 1
        heredoc = re.search(r"<<-?\s*['\"]?(\w+)['\"]?", strip_comment(text))
        if heredoc:
            end = heredoc.group(1)
            doc = []
            while n < len(body) and body[n].strip() != end:
                doc.append(body[n])
                n += 1
            n += 1
            text += "\n<<HEREDOC>>\n" + "\n".join(doc) + "\n" + end
        out.append(Command(path, line_no, text))
    return out


def console_commands(path: Path, fence_line: int, body: list[str]) -> list[Command]:
    out: list[Command] = []
    n = 0
    while n < len(body):
        if not body[n].startswith("$ "):
            n += 1
            continue
        line_no = fence_line + 1 + n
        text = body[n][2:]
        n += 1
        while strip_comment(text).endswith("\\") and n < len(body):
            text += "\n" + body[n]
            n += 1
        output = []
        while n < len(body) and not body[n].startswith("$ "):
            output.append(body[n])
            n += 1
        out.append(Command(path, line_no, text, [o for o in output if o.strip()]))
    return out


def read_records(path: Path) -> list[Record]:
    """tools/dev/docs-commands.txt: records separated by blank lines, `key: value` lines."""
    records = []
    lines = path.read_text(encoding="utf-8").split("\n")
    current: list[tuple[int, str, str]] = []

    def flush():
        if not current:
            return
        kinds = [k for _, k, _ in current if k in ("map", "torch", "server")]
        first = current[0][0]
        if not kinds or len(set(kinds)) != 1:
            raise SystemExit(f"{path}:{first}: a record needs `map:`, `torch:` or `server:` lines (one kind)")
        fields = {}
        for _, k, v in current:
            if k not in kinds:
                fields[k] = (fields.get(k, "") + " " + v).strip()
        if not fields.get("why"):
            raise SystemExit(f"{path}:{first}: a record needs `why:`")
        if kinds[0] == "map" and not (fields.get("test") or fields.get("ci")):
            raise SystemExit(f"{path}:{first}: a `map:` record needs `test:` or `ci:`")
        patterns = []
        for n, k, v in current:
            if k == kinds[0]:
                try:
                    patterns.append(re.compile(v))
                except re.error as e:
                    raise SystemExit(f"{path}:{n}: bad pattern: {e}")
        records.append(Record(kinds[0], patterns, fields, first))
        current.clear()

    for n, line in enumerate(lines, 1):
        if line.startswith("#"):
            continue
        if not line.strip():
            flush()
            continue
        m = re.match(r"^(\w[\w-]*):\s?(.*)$", line)
        if m:
            current.append((n, m.group(1), m.group(2)))
        elif current and line.startswith((" ", "\t")):
            k = current[-1]
            current[-1] = (k[0], k[1], k[2] + " " + line.strip())
        else:
            raise SystemExit(f"{path}:{n}: expected `key: value`")
    flush()
    return records


def find_record(records: list[Record], kind: str, command: Command) -> Record | None:
    for r in records:
        text = command.key if kind == "map" else command.text
        if "in" in r.fields and not re.search(r.fields["in"], command.where):
            continue
        if r.kind == kind and any(p.search(text) for p in r.patterns):
            r.used = True
            return r
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/version", timeout=2) as r:
            return r.status == 200
    except OSError:
        return False


class Sandbox:
    def __init__(self, build: Path, assets: Path, torch: bool, files: dict[str, str]):
        self.build, self.assets, self.torch = build, assets, torch
        self.tmp = Path(tempfile.mkdtemp(prefix="seer-docs-check-"))
        self.root = self.tmp / "work"
        self.home = self.tmp / "home"
        self.bin = self.tmp / "bin"
        self.model = self.tmp / "models/BAGEL-7B-MoT"
        self.processes: list[subprocess.Popen] = []
        for d in (self.root, self.home / ".cache/seer", self.bin, self.model):
            d.mkdir(parents=True)
        for entry in SOURCE.iterdir():
            if entry.name in (".git",) or entry.name.startswith("build"):
                continue
            (self.root / entry.name).symlink_to(entry)
        (self.root / "build").symlink_to(build)
        (self.home / ".cache/seer/assets").symlink_to(assets)
        photo = assets / "photos/grace_hopper.jpg"
        for name in ("photo.jpg", "me.jpg"):
            shutil.copy(photo, self.root / name)
        fixture = SOURCE / "tests/fixtures/bagel-tiny"
        for f in fixture.iterdir():
            (self.model / f.name).symlink_to(f)
        (self.model / "tokenizer.json").symlink_to(assets / "tokenizer/tokenizer.json")
        (self.bin / "seer").symlink_to(build / "tools/seer/seer")
        real_curl = shutil.which("curl") or "/usr/bin/curl"
        (self.bin / "curl").write_text(f'#!/bin/sh\nexec {real_curl} -fsS --max-time 60 "$@"\n')
        (self.bin / "curl").chmod(0o755)
        (self.tmp / "var-cache-seer").mkdir()
        self.port = free_port()
        self.mqtt_port = free_port()
        for name, text in files.items():
            (self.root / name).write_text(self.rewrite(text, self.port))

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SEER_", "XDG_"))}
        env.update(
            HOME=str(self.home),
            PATH=f"{self.bin}:{os.environ.get('PATH', '/usr/bin:/bin')}",
            TMPDIR=str(self.tmp),
            SEER_ASSETS_DIR=str(self.assets),
            SEER_HTTP_PORT=str(self.port),
            SEER_MQTT_PORT=str(self.mqtt_port),
            SEER_OLLAMA_URL=f"http://127.0.0.1:{self.port}",
            SEER_OLLAMA_MODEL="scripted",
            SEER_LOG_LEVEL="warning",
        )
        return env

    def rewrite(self, text: str, port: int) -> str:
        text = re.sub(r"(/var/lib/seer|/srv)?/models/BAGEL-7B-MoT", lambda _: str(self.model), text)
        text = text.replace("/etc/seer/", "configs/")
        text = text.replace("/var/cache/seer", str(self.tmp / "var-cache-seer"))
        text = re.sub(r"(127\.0\.0\.1|localhost):8095\b", rf"\g<1>:{port}", text)
        text = re.sub(r"\b1883\b", str(self.mqtt_port), text)
        return text.replace("\n<<HEREDOC>>", "")

    def start_services(self) -> None:
        conf = self.tmp / "docs-check.yaml"
        bagel = ""
        if self.torch:
            bagel = (f"  bagel:\n    model: {self.model}\n    tokenizer: {self.model / 'tokenizer.json'}\n")
        conf.write_text(f"""seer:
  plugin_path: [{self.build / 'test-plugins'}]
plugins:
  http: {{port: {self.port}}}
  webcam:
    plugin: camera
    source: {{images: {self.root / 'photo.jpg'}}}
    publish_fps: 5
  faces: {{detector: haar}}
  scripted: {{plugin: scripted-chat, word_delay_ms: 1}}
{bagel}agents:
  - name: sophia
    llm: {{backend: scripted}}
    vision:
      services: {{camera: webcam{', vision_language_model: bagel' if self.torch else ''}}}
      description_max_tokens: 4
      emotion_max_tokens: 4
    triggers: [{{phrases: [look at me], action: look}}]
    tools: {{snapshot: false}}
    home_assistant: false
""")
        mosquitto = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
        mconf = self.tmp / "mosquitto.conf"
        mconf.write_text(f"listener {self.mqtt_port} 127.0.0.1\nallow_anonymous true\npersistence false\n")
        self.spawn([mosquitto, "-c", str(mconf)], self.tmp / "mosquitto.log")
        seer = self.spawn([str(self.bin / "seer"), "run", "--config", str(conf)], self.tmp / "seer.log")
        if not self.wait_ready(seer, self.port):
            log = (self.tmp / "seer.log").read_text(errors="replace")[-3000:]
            raise SystemExit(f"docs-check: the sandbox seer did not answer on port {self.port}:\n{log}")
        # Sophia looks once, so that her report exists for the docs that fetch it. The agents
        # start after the plugins: until then she is not a model (404).
        look = json.dumps({"model": "sophia", "stream": False,
                           "messages": [{"role": "user", "content": "look at me"}]}).encode()
        deadline = time.monotonic() + SERVER_READY_TIMEOUT_S
        while True:
            try:
                request = urllib.request.Request(f"http://127.0.0.1:{self.port}/api/chat", data=look)
                with urllib.request.urlopen(request, timeout=COMMAND_TIMEOUT_S) as answer:
                    answer.read()
                return
            except urllib.error.HTTPError as error:
                if error.code != 404 or time.monotonic() > deadline:
                    raise SystemExit(f"docs-check: the sandbox agent sophia did not answer: {error}")
                time.sleep(0.2)

    def spawn(self, argv: list[str], log: Path, shell: bool = False) -> subprocess.Popen:
        with open(log, "wb") as out:
            p = subprocess.Popen(argv if not shell else ["bash", "-c", argv[0]], cwd=self.root, env=self.env(),
                                 stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                 start_new_session=True)
        self.processes.append(p)
        return p

    @staticmethod
    def wait_ready(p: subprocess.Popen, port: int) -> bool:
        deadline = time.monotonic() + SERVER_READY_TIMEOUT_S
        while time.monotonic() < deadline:
            if p.poll() is not None:
                return False
            if answers(port):
                return True
            time.sleep(0.2)
        return False

    def run(self, command: Command) -> str | None:
        """Runs one command; None when it passed, else why it failed."""
        text = self.rewrite(command.text, self.port)
        try:
            r = subprocess.run(["bash", "-c", text], cwd=self.root, env=self.env(), capture_output=True,
                               timeout=COMMAND_TIMEOUT_S, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            return f"still running after {COMMAND_TIMEOUT_S} s"
        output = (r.stdout + r.stderr).decode(errors="replace")
        if command.expected_output:
            missing = missing_lines(command.expected_output, output)
            return None if missing is None else f"the output lacks the doc's line {missing!r}:\n{indent(output)}"
        return None if r.returncode == 0 else f"exit code {r.returncode}:\n{indent(output)}"

    def run_server(self, command: Command) -> str | None:
        port = free_port()
        text = self.rewrite(command.text, port)
        if re.search(r"\bseer serve\b", text) and "--port" not in text:
            text = strip_comment(text) + f" --port {port}"
        log = self.tmp / f"server-{port}.log"
        env_port = f"SEER_HTTP_PORT={port} "
        p = self.spawn([env_port + "exec " + text], log, shell=True)
        ready = self.wait_ready(p, port)
        if p.poll() is None:
            os.killpg(p.pid, signal.SIGINT)
        try:
            code = p.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            code = "killed: it did not stop within 30 s of SIGINT"
        output = log.read_text(errors="replace")
        if not ready:
            return f"did not answer /api/version on port {port} (exit {code}):\n{indent(output)}"
        return None if code == 0 else f"exit code {code} after SIGINT:\n{indent(output)}"

    def close(self) -> None:
        for p in reversed(self.processes):
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGTERM)
                try:
                    p.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.killpg(p.pid, signal.SIGKILL)
                    p.wait()
        shutil.rmtree(self.tmp, ignore_errors=True)


def missing_lines(expected: list[str], output: str) -> str | None:
    """The first shown line not found, in order, in the output (`...` matches anything)."""
    lines = output.split("\n")
    at = 0
    for want in expected:
        if want.strip() == "...":
            continue
        while at < len(lines) and lines[at].rstrip() != want.rstrip():
            at += 1
        if at == len(lines):
            return want
        at += 1
    return None


def indent(text: str, limit: int = 2500) -> str:
    text = text.strip()
    if len(text) > limit:
        text = "...\n" + text[-limit:]
    return "\n".join("    " + line for line in text.split("\n"))


def ctest_names(build: Path) -> set[str]:
    r = subprocess.run(["ctest", "--test-dir", str(build), "-N"], capture_output=True, text=True)
    return {m.group(1) for m in re.finditer(r"Test\s+#\d+: (\S+)", r.stdout)}


def check_mapping(record: Record, tests: set[str], torch: bool) -> str | None:
    for name in record.fields.get("test", "").replace(",", " ").split():
        if name.endswith("*"):
            found = any(t.startswith(name[:-1]) for t in tests)
        else:
            found = name in tests
        if not found:
            if record.fields.get("libtorch") == "yes" and not torch:
                continue  # a libtorch test: not configured in this build
            return f"names the test {name!r}, which `ctest -N` does not list"
    ci = record.fields.get("ci")
    if ci:
        script = ci.split()[0]
        if not (SOURCE / script).is_file():
            return f"names the CI script {script!r}, which does not exist"
        if script != ".ci/run" and script not in (SOURCE / ".ci/run").read_text():
            return f"names {script!r}, which .ci/run does not run"
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("build", type=Path, help="the build folder under test")
    parser.add_argument("--only", type=Path, nargs="+", help="these Markdown files instead of the docs")
    parser.add_argument("--map", type=Path, default=SOURCE / "tools/dev/docs-commands.txt")
    parser.add_argument("--list", action="store_true", help="print each command and what covers it; run nothing")
    args = parser.parse_args()

    build = args.build.resolve()
    if not (build / "tools/seer/seer").is_file():
        print(f"docs-check: {build} has no tools/seer/seer: build it first", file=sys.stderr)
        return 1
    assets = Path(os.environ.get("SEER_ASSETS_DIR", Path.home() / ".cache/seer/assets")).resolve()
    if not (assets / "tokenizer/tokenizer.json").is_file():
        print(f"docs-check: no assets in {assets}: run tools/dev/fetch-assets.sh or set SEER_ASSETS_DIR",
              file=sys.stderr)
        return 1
    cache = (build / "CMakeCache.txt").read_text(errors="replace")
    torch = re.search(r"^SEER_WITH_TORCH:BOOL=ON$", cache, re.M) is not None

    errors: list[str] = []
    commands: list[Command] = []
    files: dict[str, str] = {}
    for md in (args.only or doc_files()):
        found, defined = extract(md.resolve(), errors)
        commands += found
        files.update(defined)
    records = read_records(args.map)
    tests = ctest_names(build)

    plan = []
    for c in commands:
        mapped = find_record(records, "map", c)
        needs_torch = find_record(records, "torch", c)
        server = find_record(records, "server", c)
        plan.append((c, mapped, needs_torch, server))

    if args.list:
        for e in errors:
            print(f"error: {e}")
        for c, mapped, needs_torch, server in plan:
            how = (f"mapped to {mapped.fields.get('test') or mapped.fields.get('ci')}" if mapped else
                   "server" if server else "run") + (" (libtorch)" if needs_torch else "")
            print(f"{c.where}: {how}: {c.key}")
        return 0

    for r in records:
        if not r.used and not args.only:
            errors.append(f"{args.map}:{r.line}: the `{r.kind}:` record matches no command of the docs: "
                          "remove it, or fix its pattern")
        if r.kind == "map" and r.used:
            problem = check_mapping(r, tests, torch)
            if problem:
                errors.append(f"{args.map}:{r.line}: the mapping {problem}")

    started = time.monotonic()
    counts = {"run": 0, "mapped": 0, "skipped": 0}
    skipped = []
    sandbox = Sandbox(build, assets, torch, files)
    services_started = False
    try:
        for c, mapped, needs_torch, server in plan:
            if mapped:
                counts["mapped"] += 1
                continue
            if NEVER_RUN.search(c.text):
                errors.append(f"{c.where}: `{c.key}` is neither mapped nor safe to run here (root, the "
                              f"system or the network): map it in {args.map.name} to the test that covers it")
                continue
            if needs_torch and not torch:
                counts["skipped"] += 1
                skipped.append(c)
                continue
            if not services_started and NEEDS_SERVICES.search(c.text):
                sandbox.start_services()
                services_started = True
            t = time.monotonic()
            problem = sandbox.run_server(c) if server else sandbox.run(c)
            counts["run"] += 1
            status = "ok" if problem is None else "FAILED"
            print(f"{status:6} {time.monotonic() - t:5.1f} s  {c.where}: {c.key}", flush=True)
            if problem:
                errors.append(f"{c.where}: `{c.key}` failed: {problem}\n    (if it cannot run inside a test, "
                              f"map it in {args.map.relative_to(SOURCE) if args.map.is_relative_to(SOURCE) else args.map} "
                              "to the test that covers it)")
    finally:
        sandbox.close()

    for c in skipped:
        print(f"skipped (needs libtorch; this build is -DSEER_WITH_TORCH=OFF): {c.where}: {c.key}")
    print(f"docs-check: {len(commands)} commands: {counts['run']} run, {counts['mapped']} mapped, "
          f"{counts['skipped']} skipped; {time.monotonic() - started:.0f} s")
    for e in errors:
        print(f"error: {e}", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
