#!/usr/bin/env bash
# Builds the small kernel the gpio-sim tier boots, once: Debian's
# linux-source-6.1, `make tinyconfig` plus kernel.fragment. The result is cached
# outside the repository under a key made of the kernel source's package
# version, the fragment and this script, so it is rebuilt only when one of them
# changes. Prints the path of the bzImage on stdout; progress goes to stderr.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
fragment="$here/kernel.fragment"
tarball=/usr/src/linux-source-6.1.tar.xz

if [[ ! -f $tarball ]]; then
    echo "error: $tarball is missing; run scripts/install-dependencies.sh (it installs linux-source-6.1)" >&2
    exit 2
fi

source_version="$(dpkg-query -W -f='${Version}' linux-source-6.1)"
key="$( { echo "$source_version"; cat "$fragment" "$0"; } | sha256sum | cut -c1-16)"
cache_root="${MIZAN_KERNEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mizan/gpio-sim-kernel}"
image="$cache_root/$key/bzImage"

if [[ -f $image ]]; then
    echo "kernel: cached $image (linux-source $source_version)" >&2
    echo "$image"
    exit 0
fi

work="$cache_root/$key.build"
rm -rf "$work"
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
started=$SECONDS
echo "kernel: building linux-source $source_version with tinyconfig + $(basename "$fragment") (a few minutes, once)" >&2
tar -xf "$tarball" -C "$work" --strip-components=1
cd "$work"
make ARCH=x86_64 tinyconfig >/dev/null
scripts/kconfig/merge_config.sh -m .config "$fragment" >/dev/null
make ARCH=x86_64 olddefconfig >/dev/null

# A fragment line whose dependencies are not met is dropped silently by
# kconfig; say which one instead of booting a kernel without it.
missing=0
while IFS= read -r line; do
    [[ $line =~ ^CONFIG_ ]] || continue
    if ! grep -qx "$line" .config; then
        echo "error: $line did not survive olddefconfig (a dependency is missing)" >&2
        missing=1
    fi
done < "$fragment"
((missing == 0)) || exit 2

make ARCH=x86_64 -j"$(nproc)" bzImage >build.log 2>&1 || { tail -40 build.log >&2; exit 1; }
mkdir -p "$(dirname "$image")"
cp arch/x86/boot/bzImage "$image.tmp"
mv "$image.tmp" "$image"
echo "kernel: built in $((SECONDS - started)) s, $(du -k "$image" | cut -f1) KiB: $image" >&2
echo "$image"
