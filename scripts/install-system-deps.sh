#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages the service needs: LibreOffice Writer (headless) with its
# Python bridge (python3-uno, for the conversion workers), the Liberation fonts (metric-compatible
# stand-ins for Times New Roman) and Python's venv. With --test, also what the tests use: Debian's
# chromium (driven by Playwright), poppler-utils (pdftoppm, to look at PDFs as pictures),
# postgresql (the release's own server, 15 on Debian 12; scripts/test-postgres.sh starts it) and
# zbar-tools (zbarimg, to read an archived form's QR code), redis-server (the broker of the
# Celery job tests; scripts/test-redis.sh starts it) and nginx (the front of deploy/, which
# tests/test_front.py runs before the real service; the package's own service is not needed).
# Needs root or sudo; installs only what is missing.
#
# On Debian 12 (bookworm) LibreOffice comes from bookworm-backports: its 25.2 converts our forms
# faster than bookworm's own 7.4 (docs/BENCHMARKS.md). Elsewhere the release's own is used.
set -euo pipefail

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
version_of() { dpkg-query -W -f='${Version}' "$1" 2>/dev/null || true; }

. /etc/os-release
sudo=""
[[ $(id -u) -eq 0 ]] || sudo="sudo"

apt_target=()
min_office="0"
if [[ "${ID:-}" == debian && "${VERSION_CODENAME:-}" == bookworm ]]; then
  apt_target=(-t bookworm-backports)
  min_office="4:25"
  list=/etc/apt/sources.list.d/bookworm-backports.list
  if ! grep -rqs "bookworm-backports" /etc/apt/sources.list /etc/apt/sources.list.d/; then
    # The backports suite from the archive this machine already uses for bookworm.
    bookworm_archive() { apt-cache policy | awk '$3 ~ /^bookworm\/main/ {print $2; exit}'; }
    archive=$(bookworm_archive)
    if [[ -z "$archive" ]]; then  # no package lists yet on a new machine
      $sudo apt-get update -qq
      archive=$(bookworm_archive)
    fi
    if [[ -z "$archive" ]]; then
      echo "install-system-deps: no bookworm archive in apt's sources; add bookworm-backports" \
           "to them and run again" >&2
      exit 1
    fi
    echo "deb $archive bookworm-backports main" | $sudo tee "$list" >/dev/null
  fi
fi

missing=()
for package in fonts-liberation fonts-liberation2 python3-venv; do
  installed "$package" || missing+=("$package")
done
if [[ "${1:-}" == "--test" ]]; then
  for package in chromium poppler-utils postgresql zbar-tools redis-server nginx; do
    installed "$package" || missing+=("$package")
  done
fi

office=()
writer=libreoffice-writer-nogui
installed libreoffice-writer && ! installed "$writer" && writer=libreoffice-writer
if ! installed "$writer" || ! installed python3-uno \
   || ! dpkg --compare-versions "$(version_of "$writer")" ge "$min_office"; then
  office=(libreoffice-writer-nogui python3-uno)
fi
((${#missing[@]} + ${#office[@]})) || exit 0

$sudo apt-get update -qq
if ((${#office[@]})) && ! apt-cache show libreoffice-writer-nogui >/dev/null 2>&1; then
  office=(libreoffice-writer python3-uno)  # releases without the -nogui build
fi
echo "Cài các gói hệ thống còn thiếu: ${missing[*]} ${office[*]}"
export DEBIAN_FRONTEND=noninteractive
((${#missing[@]})) && $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
((${#office[@]})) && $sudo apt-get install -y -qq --no-install-recommends "${apt_target[@]}" "${office[@]}"
exit 0
