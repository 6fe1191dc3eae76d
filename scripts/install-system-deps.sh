#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages the service needs: LibreOffice Writer (headless), the
# Liberation fonts (metric-compatible stand-ins for Times New Roman) and Python's venv.
# With --test, also what the test suite and the developers' checks use (poppler-utils).
# Needs root or sudo; installs only what is missing, so a second run is quick.
set -euo pipefail

packages=(fonts-liberation fonts-liberation2 python3-venv)
if apt-cache show libreoffice-writer-nogui >/dev/null 2>&1 || dpkg -s libreoffice-writer-nogui >/dev/null 2>&1; then
  packages+=(libreoffice-writer-nogui)
else
  packages+=(libreoffice-writer)
fi
[[ "${1:-}" == "--test" ]] && packages+=(poppler-utils)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$package")
done
((${#missing[@]})) || exit 0

sudo=""
[[ $(id -u) -eq 0 ]] || sudo="sudo"
echo "Cài các gói hệ thống còn thiếu: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
