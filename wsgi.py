"""WSGI entry point for production servers: ``gunicorn -c gunicorn.conf.py wsgi:server``.

The dataset directory comes from CONTROLMAP_DATA (default: the bundled data/).
"""

from app import create_app

app = create_app()
server = app.server
