#!/bin/sh
# Installs a released `handoff` binary: downloads handoff-VERSION-TARGET.tar.gz (.zip on
# Windows) for this machine from the project's GitHub releases, checks it against the
# release's SHA256SUMS, and puts the binary in the install folder. A checksum mismatch is
# refused and nothing is installed. Only when the release has no archive for this platform
# does it build from source with `cargo install --locked` (and says so).
#
#   sh install.sh VERSION            (or HANDOFF_VERSION=0.1.0 sh install.sh)
#
# Environment:
#   HANDOFF_VERSION        the version to install (when no argument is given)
#   HANDOFF_REPOSITORY     the repository whose releases hold the archives
#   HANDOFF_RELEASES_URL   base URL of the releases (default: REPOSITORY/releases/download);
#                          the archive is fetched from BASE/vVERSION/ARCHIVE
#   HANDOFF_TARGET         the target triple, when detection from `uname` is not wanted
#   HANDOFF_INSTALL_DIR    where the binary goes (default: $HOME/.local/bin); added to
#                          $GITHUB_PATH when run in GitHub Actions
#   HANDOFF_SOURCE         a checkout of handoffs to build when there is no release for the
#                          platform (default: the repository's tag vVERSION)
set -eu

# The one place the default repository is written; a test checks it is Cargo.toml's
# `repository`, and `handoff init` writes this script with the binary's own.
repository="${HANDOFF_REPOSITORY:-https://github.com/handoffs-dev/handoffs}"

say() { printf 'install.sh: %s\n' "$*" >&2; }
fail() {
  say "$*"
  exit 1
}

version="${1:-${HANDOFF_VERSION:-}}"
version="${version#v}"
if [ -z "$version" ]; then
  fail "give the version to install: sh install.sh 0.1.0 (or set HANDOFF_VERSION)"
fi
case "$version" in
  *[!0-9A-Za-z.+-]*) fail "not a version: $version" ;;
esac

if [ -n "${HANDOFF_TARGET:-}" ]; then
  target="$HANDOFF_TARGET"
else
  os="$(uname -s)"
  arch="$(uname -m)"
  case "$arch" in
    x86_64 | amd64) arch=x86_64 ;;
    aarch64 | arm64) arch=aarch64 ;;
  esac
  case "$os" in
    Linux) target="$arch-unknown-linux-musl" ;;
    Darwin) target="$arch-apple-darwin" ;;
    MINGW* | MSYS* | CYGWIN* | Windows_NT) target="$arch-pc-windows-msvc" ;;
    *) target="$arch-unknown-$os" ;;
  esac
fi
case "$target" in
  *[!0-9A-Za-z._-]*) fail "not a target triple: $target" ;;
esac

case "$target" in
  *windows*)
    archive="handoff-$version-$target.zip"
    binary=handoff.exe
    ;;
  *)
    archive="handoff-$version-$target.tar.gz"
    binary=handoff
    ;;
esac
base="${HANDOFF_RELEASES_URL:-$repository/releases/download}"
base="${base%/}/v$version"
install_dir="${HANDOFF_INSTALL_DIR:-$HOME/.local/bin}"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# download URL FILE: 0 when fetched, 3 when the server has no such file, else 1.
download() {
  if command -v curl >/dev/null 2>&1; then
    status=0
    curl --proto '=https,http' --fail --silent --show-error --location \
      --retry 2 --output "$2" "$1" || status=$?
    case "$status" in
      0) return 0 ;;
      22) return 3 ;;
      *) return 1 ;;
    esac
  elif command -v wget >/dev/null 2>&1; then
    status=0
    wget --quiet --tries=3 --output-document="$2" "$1" || status=$?
    case "$status" in
      0) return 0 ;;
      8) return 3 ;;
      *) return 1 ;;
    esac
  else
    fail "neither curl nor wget is installed: install one of them and re-run"
  fi
}

sha256() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d' ' -f1
  elif command -v shasum >/dev/null 2>&1; then
    shasum -a 256 "$1" | cut -d' ' -f1
  else
    fail "neither sha256sum nor shasum is installed: cannot verify the download"
  fi
}

# No release of this version for this platform: build it from source, and say so.
build_from_source() {
  say "no release of handoff $version for $target at $base ($1)"
  if ! command -v cargo >/dev/null 2>&1; then
    fail "cargo is not installed, so handoff cannot be built from source either: install Rust (https://rustup.rs) or use a platform that has a release"
  fi
  if [ -n "${HANDOFF_SOURCE:-}" ]; then
    say "building it from source instead: cargo install --locked --path $HANDOFF_SOURCE (this takes minutes)"
    cargo install --locked --path "$HANDOFF_SOURCE"
  else
    say "building it from source instead: cargo install --locked --git $repository --tag v$version (this takes minutes)"
    cargo install --locked --git "$repository" --tag "v$version" handoffs
  fi
  exit 0
}

status=0
download "$base/SHA256SUMS" "$work/SHA256SUMS" || status=$?
case "$status" in
  0) ;;
  3) build_from_source "it has no SHA256SUMS" ;;
  *) fail "cannot download $base/SHA256SUMS: check the network and re-run (nothing was installed)" ;;
esac
expected="$(awk -v name="$archive" '$2 == name || $2 == "*" name { print $1; exit }' "$work/SHA256SUMS")"
if [ -z "$expected" ]; then
  build_from_source "SHA256SUMS lists no $archive"
fi

status=0
download "$base/$archive" "$work/$archive" || status=$?
case "$status" in
  0) ;;
  3) build_from_source "no $archive" ;;
  *) fail "cannot download $base/$archive: check the network and re-run (nothing was installed)" ;;
esac

actual="$(sha256 "$work/$archive")"
if [ "$actual" != "$expected" ]; then
  fail "checksum mismatch for $archive: SHA256SUMS says $expected, the download is $actual; refusing to install it (nothing was installed)"
fi

mkdir "$work/unpacked"
case "$archive" in
  *.zip) unzip -q "$work/$archive" -d "$work/unpacked" ;;
  *) tar -xzf "$work/$archive" -C "$work/unpacked" ;;
esac
# The archive holds one folder, handoff-VERSION-TARGET/, with the binary (cargo-dist's layout).
unpacked="$work/unpacked/handoff-$version-$target/$binary"
if [ ! -f "$unpacked" ] || [ -L "$unpacked" ]; then
  fail "$archive has no handoff-$version-$target/$binary: not a handoff release archive (nothing was installed)"
fi

mkdir -p "$install_dir"
# Copy next to the target, then rename: a running or half-copied binary is never replaced.
cp "$unpacked" "$install_dir/.$binary.installing"
chmod 755 "$install_dir/.$binary.installing"
mv -f "$install_dir/.$binary.installing" "$install_dir/$binary"
say "installed handoff $version ($target) to $install_dir/$binary (sha256 $actual)"

if [ -n "${GITHUB_PATH:-}" ]; then
  printf '%s\n' "$install_dir" >>"$GITHUB_PATH"
fi
