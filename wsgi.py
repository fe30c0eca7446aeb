"""WSGI entry point for production servers: ``gunicorn -c gunicorn.conf.py wsgi:server``.

The dataset directory comes from CONTROLMAP_DATA (default: the bundled data/). With REDIS_URL set, long
exports run on Celery workers started with ``celery -A wsgi:celery_app worker``.
"""

from layers.web.server import create_app

app = create_app()
server = app.server
# With REDIS_URL set, background exports run on Celery workers: celery -A wsgi:celery_app worker
celery_app = server.config["CONTROLMAP_QUEUE"].celery_app
