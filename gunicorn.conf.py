"""Production serving: several worker processes, each with the whole state table in memory.

    .venv/bin/gunicorn -c gunicorn.conf.py wsgi:server

Settings can be overridden with the usual GUNICORN_CMD_ARGS or on the command line.
"""

import multiprocessing
import os

bind = os.environ.get("CONTROLMAP_BIND", "127.0.0.1:8050")  # a public address is the operator's choice
workers = int(os.environ.get("CONTROLMAP_WORKERS", max(2, multiprocessing.cpu_count() * 2)))
threads = 2
timeout = 120  # image exports run in background jobs, but a GeoPackage download is rendered in the request
preload_app = True  # build the dataset once, then fork: workers share its memory
accesslog = "-"
raw_env = ["DASH_DISABLE_VERSION_CHECK=true"]
