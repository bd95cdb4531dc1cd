# Dealbot's image: `docker build -t dealbot .`, then see compose.yaml, or
# `docker run --env-file .env -p 3000:3000 dealbot`. Secrets come from the environment at run
# time (.env is in .dockerignore); nothing secret is part of the image.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /src
# The dependencies first, at the tested versions, in a layer of their own that a code change
# does not rebuild.
COPY constraints.txt ./
RUN pip install -r constraints.txt
# Then Dealbot itself, within the same constraints (a dependency outside them fails the build).
COPY pyproject.toml README.md LICENSE ./
COPY bot ./bot
COPY handlers ./handlers
COPY storage ./storage
RUN pip install -c constraints.txt . && cd / && rm -rf /src

# Run as an unprivileged user; /data is its working directory (a SQLite file, if used).
RUN useradd --system --uid 10001 --user-group --no-create-home --home-dir /data dealbot \
    && mkdir /data && chown dealbot:dealbot /data
USER dealbot:dealbot
WORKDIR /data

ENV PORT=3000
EXPOSE 3000
# slim has no curl: ask /healthz with Python (200 when the database answers, else it fails).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('PORT', '3000') + '/healthz', timeout=4)"]
CMD ["dealbot", "serve"]
