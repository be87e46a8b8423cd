## A client of seer's WebSocket protocol (docs/protocol-websocket.md) for Godot 4.
##
## Add it as a node (or an autoload), set `url` (and `token` when the server needs one), then
## call chat(), look(), subscribe() and listen to the signals. It reconnects by itself, with a
## growing delay, and keeps the conversation: the session id from the first welcome is sent
## again in every later hello.
class_name SeerClient
extends Node

## The connection is open and the server said welcome (its JSON as a Dictionary).
signal connected(welcome: Dictionary)
## The connection ended; the client tries again after `retry_in` seconds (-1: it will not).
signal disconnected(code: int, reason: String, retry_in: float)
## One piece of a reply, as soon as the agent says it.
signal token_received(id: String, text: String)
## The whole reply: text, done_reason, cancelled, timings, vision_report, actions.
signal reply_done(id: String, reply: Dictionary)
## The vision report a look() asked for.
signal report_received(id: String, report: Dictionary)
## An event subscribed to: vision_report, mood, person, lights, trigger.
signal event_received(event: String, agent: String, data: Dictionary)
## An error frame; `id` is empty when it answers no request.
signal error_received(id: String, code: String, message: String)

@export var url := "ws://127.0.0.1:8095/ws"
## The server's bearer token, sent in hello (browsers cannot send it as a header).
@export var token := ""
## The agent to talk to; empty: the server's first.
@export var agent := ""
## Events subscribed to after every (re)connect.
@export var events: PackedStringArray = ["vision_report", "mood", "person"]
@export var first_retry_delay := 1.0
@export var max_retry_delay := 30.0

var session := ""  ## The conversation's id, from the first welcome; kept across reconnects.
var is_ready := false  ## True between welcome and the end of the connection.

var _socket := WebSocketPeer.new()
var _last_state := WebSocketPeer.STATE_CLOSED
var _retry_delay := 1.0
var _retry_left := -1.0
var _next_id := 1
var _wanted := false  # false after close(): no reconnecting


func _ready() -> void:
	_retry_delay = first_retry_delay
	open()


## Connects now (also after close()).
func open() -> void:
	_wanted = true
	_retry_left = -1.0
	_socket = WebSocketPeer.new()
	# Replies with a vision report can be large; images sent in chat() larger still.
	_socket.inbound_buffer_size = 4 * 1024 * 1024
	_socket.outbound_buffer_size = 16 * 1024 * 1024
	var error := _socket.connect_to_url(url)
	if error != OK:
		push_warning("seer: cannot connect to %s (error %d)" % [url, error])
		_schedule_retry()
	_last_state = _socket.get_ready_state()


## Closes the connection and stops reconnecting.
func close() -> void:
	_wanted = false
	_retry_left = -1.0
	_socket.close(1000, "bye")


## Says `text` to the agent; returns the request's id (its tokens and done carry it).
## `images` are shown to her with the text; `options` use Ollama's names (temperature, ...).
func chat(text: String, images: Array[Image] = [], options: Dictionary = {}, to_agent := "") -> String:
	var id := _new_id("chat")
	var message := {"type": "chat", "id": id, "text": text}
	if not images.is_empty():
		var encoded: Array[String] = []
		for image in images:
			encoded.append(Marshalls.raw_to_base64(image.save_jpg_to_buffer(0.85)))
		message["images"] = encoded
	if not options.is_empty():
		message["options"] = options
	if to_agent != "":
		message["agent"] = to_agent
	_send(message)
	return id


## Asks for a fresh vision report; returns the request's id.
func look(of_agent := "") -> String:
	var id := _new_id("look")
	var message := {"type": "look", "id": id}
	if of_agent != "":
		message["agent"] = of_agent
	_send(message)
	return id


## Stops a reply (its done comes with cancelled = true).
func cancel(id: String) -> void:
	_send({"type": "cancel", "id": id})


func subscribe(names: PackedStringArray, of_agent := "") -> void:
	var message := {"type": "subscribe", "events": Array(names)}
	if of_agent != "":
		message["agent"] = of_agent
	_send(message)


func unsubscribe(names: PackedStringArray = []) -> void:
	var message := {"type": "unsubscribe"}
	if not names.is_empty():
		message["events"] = Array(names)
	_send(message)


func _process(delta: float) -> void:
	if _retry_left >= 0.0:
		_retry_left -= delta
		if _retry_left < 0.0:
			open()
		return
	_socket.poll()
	var state := _socket.get_ready_state()
	if state == WebSocketPeer.STATE_OPEN and _last_state != WebSocketPeer.STATE_OPEN:
		_on_open()
	while _socket.get_available_packet_count() > 0:
		_on_frame(_socket.get_packet().get_string_from_utf8())
	if state == WebSocketPeer.STATE_CLOSED and _last_state != WebSocketPeer.STATE_CLOSED:
		_on_closed()
	_last_state = state


func _on_open() -> void:
	var hello := {"type": "hello"}
	if token != "":
		hello["token"] = token
	if agent != "":
		hello["agent"] = agent
	if session != "":
		hello["session"] = session
	_send(hello)


func _on_frame(text: String) -> void:
	var frame = JSON.parse_string(text)
	if typeof(frame) != TYPE_DICTIONARY:
		push_warning("seer: a frame that is not a JSON object: %s" % text)
		return
	var id := str(frame.get("id", ""))
	match frame.get("type", ""):
		"welcome":
			session = frame["session"]
			is_ready = true
			_retry_delay = first_retry_delay
			if not events.is_empty():
				subscribe(events)
			connected.emit(frame)
		"token":
			token_received.emit(id, frame["text"])
		"done":
			reply_done.emit(id, frame)
		"report":
			report_received.emit(id, frame["report"])
		"event":
			event_received.emit(frame["event"], frame["agent"], frame["data"])
		"error":
			error_received.emit(id, frame["code"], frame["message"])
		"subscribed", "pong":
			pass


func _on_closed() -> void:
	is_ready = false
	var code := _socket.get_close_code()
	var reason := _socket.get_close_reason()
	# A wrong token stays wrong: trying again would only be refused again.
	if code == 1008 or not _wanted:
		disconnected.emit(code, reason, -1.0)
		return
	_schedule_retry()
	disconnected.emit(code, reason, _retry_left)


func _schedule_retry() -> void:
	_retry_left = _retry_delay
	_retry_delay = minf(_retry_delay * 2.0, max_retry_delay)


func _send(message: Dictionary) -> void:
	if _socket.get_ready_state() != WebSocketPeer.STATE_OPEN:
		push_warning("seer: not connected; %s dropped" % message.get("type"))
		return
	_socket.send_text(JSON.stringify(message))


func _new_id(kind: String) -> String:
	_next_id += 1
	return "%s-%d" % [kind, _next_id - 1]
