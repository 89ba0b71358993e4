# syntax=docker/dockerfile:1
# Two stages: build a stripped release binary with a static Swift runtime, run it on a slim
# Ubuntu as an unprivileged user.
FROM swift:6.3-noble AS build
RUN apt-get update -q && apt-get install -y -q --no-install-recommends libsqlite3-dev zlib1g-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Dependencies first: this layer is reused until Package.swift changes, so editing Sources does
# not fetch the dependencies again.
COPY Package.swift ./
RUN swift package resolve
COPY Sources ./Sources
COPY Tests ./Tests
RUN swift build -c release --product sqslite --static-swift-stdlib -Xlinker -s \
    && install -D "$(swift build -c release --show-bin-path)/sqslite" /out/sqslite \
    && strip /out/sqslite
COPY config/sqslite.yaml /out/sqslite.yaml

FROM ubuntu:noble AS runtime
# The image's user: sqslite, uid/gid 10001. /data (the volume) belongs to it.
RUN apt-get update -q && apt-get install -y -q --no-install-recommends libsqlite3-0 zlib1g ca-certificates curl \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 sqslite \
    && useradd --system --uid 10001 --gid 10001 --create-home --home-dir /home/sqslite sqslite \
    && mkdir -p /data /etc/sqslite \
    && chown 10001:10001 /data && chmod 0755 /data
COPY --from=build /out/sqslite /usr/local/bin/sqslite
COPY --from=build /out/sqslite.yaml /etc/sqslite/example.yaml
USER 10001:10001
VOLUME /data
EXPOSE 9324
# Listen on every interface (a container is reached from outside it); accept the Host name other
# containers use (http://sqslite:9324) besides localhost and IP literals.
ENV SQSLITE_HOST=0.0.0.0 SQSLITE_PORT=9324 SQSLITE_DATA_DIR=/data SQSLITE_ALLOWED_HOSTS=sqslite
# Shell form, so a changed SQSLITE_PORT is followed.
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s CMD curl -fsS "http://127.0.0.1:${SQSLITE_PORT:-9324}/health" || exit 1
ENTRYPOINT ["/usr/local/bin/sqslite"]
CMD ["serve"]

# The `python` variant: the same server plus python3, boto3 and awslambdaric, so config-file
# functions written in Python (both seed projects in examples/) run inside the container:
#   docker build --target python -t sqslite:python .
FROM runtime AS python
USER root
RUN apt-get update -q && apt-get install -y -q --no-install-recommends python3 python3-venv \
    && rm -rf /var/lib/apt/lists/* \
    && python3 -m venv /opt/lambda \
    && /opt/lambda/bin/pip install --no-cache-dir awslambdaric boto3
ENV PATH=/opt/lambda/bin:$PATH
USER 10001:10001

# The default target stays the plain server.
FROM runtime
