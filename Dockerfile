# syntax=docker/dockerfile:1
# citeqa: the service with the packaged model and an index of corpus/ baked in.
# Same steps as the Makefile: venv, CPU torch pinned first, the project, `citeqa build`.
FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    HF_HUB_OFFLINE=1 \
    PATH=/opt/venv/bin:$PATH
WORKDIR /app
RUN python -m venv /opt/venv
RUN pip install --index-url https://download.pytorch.org/whl/cpu torch==2.13.0
COPY pyproject.toml README.md ./
COPY index ./index
COPY service ./service
RUN pip install .
COPY corpus ./corpus
RUN citeqa build --corpus corpus --index /app/data/index

FROM python:3.11-slim
ENV HF_HUB_OFFLINE=1 \
    PATH=/opt/venv/bin:$PATH \
    CITEQA_INDEX_DIR=/app/data/index \
    CITEQA_CORPUS_DIR=/app/corpus \
    CITEQA_HOST=0.0.0.0 \
    CITEQA_PORT=8000
RUN useradd --create-home --uid 10001 citeqa
WORKDIR /app
COPY --from=build /opt/venv /opt/venv
COPY --from=build --chown=citeqa:citeqa /app /app
USER citeqa
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=3s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/readyz', timeout=2)"]
CMD ["citeqa", "serve"]
