#!/usr/bin/env bash
# Installs what idcard-ocr needs on Debian 12, only what is missing. Run as root or as a
# user with sudo. Idempotent: a second run installs nothing.
#
#   scripts/setup.sh          runtime and build needs (Tesseract, models, compilers)
#   scripts/setup.sh --test   also the test tools (Python gRPC client, buf, redis, fonts)
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=false
[ "${1:-}" = "--test" ] && want_test=true

sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

packages=(
  # Tesseract, its Arabic, Arabic-script and English models, and the libraries leptess
  # links.
  tesseract-ocr tesseract-ocr-ara tesseract-ocr-script-arab tesseract-ocr-eng
  libtesseract-dev libleptonica-dev
  # bindgen (leptess) needs clang; tonic-prost-build needs protoc.
  clang libclang-dev pkg-config protobuf-compiler build-essential curl ca-certificates
)
if $want_test; then
  # Python and Node may come from elsewhere (pyenv, nodesource): ask Debian only for
  # what is missing as a command, or its packages would fight the existing install.
  command -v python3 >/dev/null 2>&1 || packages+=(python3)
  python3 -m pip --version >/dev/null 2>&1 || packages+=(python3-pip)
  command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)
  packages+=(
    redis-server
    # Fonts the card generator and the digit-model training draw with. The committed
    # fixtures were drawn from these (tests/fixtures/card-fonts.txt lists the files); the
    # last two came with other packages on the machine that made them.
    fonts-arabeyes fonts-hosny-amiri fonts-kacst fonts-kacst-one fonts-noto-core
    fonts-sil-scheherazade fonts-sil-lateef fonts-sil-harmattan fonts-farsiweb
    fonts-freefarsi fonts-hosny-thabit fonts-lemonada fonts-dejavu-core fonts-liberation2
    fonts-freefont-ttf fonts-dejavu-extra fonts-urw-base35
  )
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo_if_needed apt-get update -qq
  sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi

if ! command -v cargo >/dev/null 2>&1; then
  [ -x "$HOME/.cargo/bin/cargo" ] || {
    echo "setup: installing the Rust toolchain with rustup"
    curl -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal --component clippy,rustfmt
  }
  export PATH="$HOME/.cargo/bin:$PATH"
fi

if $want_test; then
  # The polyglot test's Python client, generated from the .proto at test time.
  python3 -c "import grpc, grpc_tools, grpc_status, grpc_health, pytest" 2>/dev/null ||
    python3 -m pip install -q grpcio grpcio-tools grpcio-status grpcio-health-checking pytest 2>/dev/null ||
    python3 -m pip install -q --break-system-packages grpcio grpcio-tools grpcio-status grpcio-health-checking pytest
  # buf lints the contract; kept in .tools so it never touches the system.
  [ -x .tools/node_modules/.bin/buf ] || npm install --silent --prefix .tools @bufbuild/buf >/dev/null
fi
echo "setup: done"
