# syntax=docker/dockerfile:1
#
# apicli in a small image, for load generators on Kubernetes (deploy/kubernetes/) and anywhere
# else a container runs. Build it from the repository's root:
#
#     docker build -t apicli .
#
# The builder runs the README's `cargo install --path .`, with the lock file (`--locked`), so the
# image holds exactly the binary that command installs. No system protoc is needed: build.rs
# compiles proto/ with protox. The final stage holds the binary, the CA certificates that https://
# targets are checked against, and Debian's slim base (a shell stays, for writing a report to a
# shared volume with a redirection), and runs as a numeric non-root user.

# The Rust image's tag: `1` is the latest stable release; the crate needs 1.88 or newer.
ARG RUST_VERSION=1
# Builder and final stage use one Debian release, so the binary finds the glibc it was linked
# against.
ARG DEBIAN=trixie

FROM rust:${RUST_VERSION}-${DEBIAN} AS build
WORKDIR /src
# What `cargo install --path .` compiles, and nothing else: the manifest and lock file, the build
# script, the .proto files it compiles, and the sources.
COPY Cargo.toml Cargo.lock build.rs ./
COPY proto ./proto
COPY src ./src
# The registry and the target directory are cached between builds (BuildKit), so that a change to
# src/ does not download and compile every dependency again.
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo install --path . --locked --root /out

FROM debian:${DEBIAN}-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /out/bin/apicli /usr/local/bin/apicli
# Numeric, so that Kubernetes' runAsNonRoot can verify it without a passwd entry.
USER 65532:65532
ENTRYPOINT ["apicli"]
CMD ["--help"]
