# The `handoff` binary with git, for CI systems that run containers (the
# `.gitlab-ci.yml` that `handoff init --ci gitlab` writes uses it). The release
# workflow pushes it to ghcr.io/OWNER/REPO:VERSION on tags.
#   docker build -t handoff . && docker run --rm -v "$PWD:/repo" -w /repo handoff lint

# Build: a static musl binary (libgit2, zlib and mimalloc are compiled in).
FROM rust:1.89-alpine AS build
RUN apk add --no-cache build-base
WORKDIR /src
COPY . .
RUN cargo build --release --locked --bin handoff \
    && strip target/release/handoff

# Runtime: Alpine with git (history, --changed-since) and a shell for CI scripts.
FROM alpine:3.20
RUN apk add --no-cache git ca-certificates \
    && git config --system --add safe.directory '*'
COPY --from=build /src/target/release/handoff /usr/local/bin/handoff
ENTRYPOINT ["handoff"]
CMD ["--help"]
