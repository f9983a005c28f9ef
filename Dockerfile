# A rasad stream worker. Build: docker build -t rasad . ; run against a cluster with RASAD_BROKER=host:port.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# torch first, from the CPU index: camel-tools needs torch, and PyPI's default build bundles GBs of CUDA.
RUN pip install --index-url https://download.pytorch.org/whl/cpu torch==2.13.0

WORKDIR /app
COPY . /app
RUN pip install /app

# Never run as root; the data dir (embedded broker, local state) must be writable by this user.
RUN useradd --create-home --uid 10001 --shell /usr/sbin/nologin rasad
USER rasad
WORKDIR /home/rasad
ENV RASAD_DATA_DIR=/home/rasad/.rasad \
    RASAD_LOG_JSON=true

ENTRYPOINT ["rasad", "worker"]
