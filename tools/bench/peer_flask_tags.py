"""The peer of tools/bench/http_load.sh: the seed's way of serving, a Flask app (Debian's
python3-flask, the development server with threads, as bagel_api.py ran), answering GET
/api/tags with the same JSON body seer sent.

    python3 tools/bench/peer_flask_tags.py PORT BODY_FILE
"""
import logging
import sys

from flask import Flask, Response

port = int(sys.argv[1])
with open(sys.argv[2], "rb") as file:
    body = file.read()

app = Flask("peer")
logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no access log, like seer's bench config


@app.get("/api/tags")
def tags():
    return Response(body, content_type="application/json; charset=utf-8")


app.run(host="127.0.0.1", port=port, threaded=True)
