#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages the service needs: LibreOffice Writer (headless), the
# Liberation fonts (metric-compatible stand-ins for Times New Roman) and Python's venv.
# With --test, also poppler-utils (pdftoppm, to look at the PDFs as pictures).
# Needs root or sudo; installs only what is missing, so a second run is quick.
set -euo pipefail

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

missing=()
for package in fonts-liberation fonts-liberation2 python3-venv; do
  installed "$package" || missing+=("$package")
done
[[ "${1:-}" == "--test" ]] && { installed poppler-utils || missing+=(poppler-utils); }
need_writer=true
if installed libreoffice-writer-nogui || installed libreoffice-writer; then need_writer=false; fi
$need_writer || ((${#missing[@]})) || exit 0

sudo=""
[[ $(id -u) -eq 0 ]] || sudo="sudo"
$sudo apt-get update -qq
if $need_writer; then
  # The -nogui build leaves out the desktop toolkits; older releases only have the full one.
  if apt-cache show libreoffice-writer-nogui >/dev/null 2>&1; then
    missing+=(libreoffice-writer-nogui)
  else
    missing+=(libreoffice-writer)
  fi
fi
echo "Cài các gói hệ thống còn thiếu: ${missing[*]}"
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
