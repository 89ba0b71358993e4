# syntax=docker/dockerfile:1
# Two stages: build a release binary with a static Swift runtime, run it on a slim Ubuntu.
FROM swift:6.3-noble AS build
RUN apt-get update -q && apt-get install -y -q --no-install-recommends libsqlite3-dev zlib1g-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Package.swift ./
COPY Sources ./Sources
COPY Tests ./Tests
RUN swift build -c release --product sqslite --static-swift-stdlib \
    && install -D "$(swift build -c release --show-bin-path)/sqslite" /out/sqslite
COPY config/sqslite.yaml /out/sqslite.yaml

FROM ubuntu:noble
RUN apt-get update -q && apt-get install -y -q --no-install-recommends libsqlite3-0 zlib1g ca-certificates curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --create-home --home-dir /home/sqslite sqslite \
    && mkdir -p /data /etc/sqslite && chown sqslite /data
COPY --from=build /out/sqslite /usr/local/bin/sqslite
COPY --from=build /out/sqslite.yaml /etc/sqslite/example.yaml
USER sqslite
VOLUME /data
EXPOSE 9324
ENV SQSLITE_HOST=0.0.0.0 SQSLITE_DATA_DIR=/data
HEALTHCHECK --interval=10s --timeout=2s CMD curl -fsS http://127.0.0.1:9324/health || exit 1
ENTRYPOINT ["/usr/local/bin/sqslite"]
CMD ["serve"]
