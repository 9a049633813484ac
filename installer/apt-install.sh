#!/bin/sh
# Installs the Debian/Ubuntu packages named on the command line that are missing.
# Without apt, or without root or password-less sudo, prints the command to run.
set -u

missing=""
for pkg in "$@"; do
	if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed"; then
		missing="$missing $pkg"
	fi
done
[ -z "$missing" ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
	echo "apt-get not found. Install the equivalents of:$missing"
	exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
	sudo=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
	sudo="sudo -n"
else
	echo "System packages are missing. Run as an administrator:"
	echo "  sudo apt-get install$missing"
	exit 0
fi

echo "Installing system packages:$missing"
$sudo apt-get update -qq || exit 1
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
	$missing >/dev/null || exit 1
