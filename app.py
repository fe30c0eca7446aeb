"""The dashboard's entry point: ``python app.py`` (or ``controlmap serve``) serves it on 127.0.0.1:8050.

The application itself lives in layers/web/ (layout, callbacks, model, jobs, server); this file only runs it.
"""

from layers.web.server import create_app, run

__all__ = ["create_app", "run"]

if __name__ == "__main__":
    run()
