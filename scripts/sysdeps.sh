#!/usr/bin/env bash
# Check the Debian packages this project needs; install them when running as root,
# otherwise print the apt-get line to run and exit non-zero.
set -euo pipefail

# libreoffice-calc-nogui: the export tests read the CSV and XLSX back with LibreOffice headless;
# libreoffice-writer-nogui: Word files (.doc, .docx, .odt, .rtf) are laid out by LibreOffice and read as its PDF;
# fonts-liberation2: Liberation Serif/Sans, metric-compatible with Times New Roman/Arial, so that a Word file's
# lines wrap where Word wraps them (without them LibreOffice falls back to the wider DejaVu)
# python3-uno: a batch's Word files are converted by one resident LibreOffice driven over UNO (without it each
# file starts LibreOffice of its own, ≈ 0.9 CPU s more a file)
# chromium, chromium-driver: the browser test of `directives serve` (headless, driven over WebDriver)
PKGS=(tesseract-ocr tesseract-ocr-vie fonts-dejavu-core fonts-liberation2 poppler-utils libreoffice-calc-nogui libreoffice-writer-nogui python3-uno chromium chromium-driver)

# Debian splits venv support out of python3; `python3 -m venv` fails without it.
if ! python3 -c 'import ensurepip' >/dev/null 2>&1; then
    PKGS+=(python3-venv)
fi

installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q '^install ok installed$'
}

tesseract_has_vie() {
    command -v tesseract >/dev/null 2>&1 && tesseract --list-langs 2>/dev/null | grep -qx 'vie'
}

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
    for p in "${PKGS[@]}"; do
        installed "$p" || missing+=("$p")
    done
else
    # Not a Debian system: check the tools themselves.
    tesseract_has_vie || missing+=(tesseract-ocr tesseract-ocr-vie)
    command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
    command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-calc-nogui)
    if [ "${#missing[@]}" -gt 0 ]; then
        echo "sysdeps: missing ${missing[*]} and no dpkg/apt-get here; install the equivalents by hand." >&2
        exit 1
    fi
fi

if [ "${#missing[@]}" -eq 0 ]; then
    tesseract_has_vie || { echo "sysdeps: tesseract is installed but has no 'vie' language data" >&2; exit 1; }
    echo "sysdeps: ok (${PKGS[*]})"
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    echo "sysdeps: missing Debian packages: ${missing[*]}" >&2
    echo "sysdeps: run this, then re-run make:" >&2
    echo "    sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
fi

echo "sysdeps: installing ${missing[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o Dpkg::Use-Pty=0 --no-install-recommends "${missing[@]}"

tesseract_has_vie || { echo "sysdeps: tesseract still has no 'vie' language data after install" >&2; exit 1; }
echo "sysdeps: ok (${PKGS[*]})"
