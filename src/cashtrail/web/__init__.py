"""The web workbench: server-rendered pages (Jinja2 + htmx) over the same services as the API and CLI.

``create_web`` in :mod:`cashtrail.web.app` builds the FastAPI application; ``cashtrail.server`` mounts the HTTP API
on top of it. Route modules live in ``routes/`` (one per domain), templates in ``templates/<domain>/``, our own CSS
and JS in ``static/``, and the npm-installed front-end packages in ``static/vendor/`` (git-ignored, filled by
``npm ci``).
"""
