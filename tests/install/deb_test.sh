#!/usr/bin/env bash
# The Debian package (issue 9): `cpack -G DEB` from BUILD_DIR, then the package inspected
# (control fields, dependencies from dpkg-shlibdeps, conffiles, maintainer scripts, files, the
# unit), unpacked with dpkg-deb -x into a temporary root, and its seer run with the shipped
# /etc/seer/seer.yaml on an ephemeral port, where Ollama's API must answer.
#   tests/install/deb_test.sh BUILD_DIR
set -euo pipefail
test_name=deb
build_dir=$1
# shellcheck source-path=SCRIPTDIR source=test_support.sh
source "$(dirname "${BASH_SOURCE[0]}")/test_support.sh"

say "cpack -G DEB in $build_dir"
start=$SECONDS
# cpack first builds "preinstall" (everything): a no-op once the build is done.
cpack -G DEB --config "$build_dir/CPackConfig.cmake" -B "$scratch/package" >"$scratch/cpack.log" 2>&1 ||
  die "cpack failed: $(tail -30 "$scratch/cpack.log")"
deb=$(find "$scratch/package" -maxdepth 1 -name 'seer_*.deb' -print -quit)
[[ -n $deb ]] || die "cpack made no seer_*.deb: $(tail -30 "$scratch/cpack.log")"
say "built $(basename "$deb") ($(du -h "$deb" | cut -f1)) in $((SECONDS - start)) s"

# ---- control: fields, dependencies, conffiles, maintainer scripts -------------------------
field() { dpkg-deb -f "$deb" "$1"; }
[[ $(field Package) == seer ]] || die "Package is '$(field Package)'"
[[ $(field Architecture) == amd64 ]] || die "Architecture is '$(field Architecture)'"
depends=$(field Depends)
for dependency in adduser libc6 libstdc++6 libyaml-cpp libspdlog libmosquitto1 libboost-json1.81; do
  [[ $depends == *"$dependency"* ]] || die "Depends lacks $dependency: $depends"
done
say "Depends: $depends"
dpkg-deb -e "$deb" "$scratch/control"
for conffile in /etc/seer/seer.yaml /etc/seer/sophia.yaml /etc/seer/agents/sophia.yaml \
  /etc/seer/agents/security-cam.yaml /etc/default/seer; do
  grep -qx "$conffile" "$scratch/control/conffiles" || die "$conffile is not a conffile"
done
grep -q "adduser --system --group" "$scratch/control/postinst" ||
  die "postinst does not create the seer user"
for script in postinst prerm postrm; do
  [[ -x $scratch/control/$script ]] || die "$script is missing or not executable"
done

# ---- files -------------------------------------------------------------------------------
dpkg-deb -c "$deb" | awk '{print $6}' >"$scratch/files.txt"
for file in ./usr/bin/seer ./usr/lib/seer/plugins/seer-plugin-http.so \
  ./usr/include/seer/plugin.hpp ./usr/lib/cmake/seer/seerConfig.cmake \
  ./usr/lib/systemd/system/seer.service ./etc/seer/seer.yaml ./etc/default/seer \
  ./usr/share/doc/seer/install.md; do
  grep -qx "$file" "$scratch/files.txt" || die "the package lacks $file"
done
grep -q '^\./usr/lib/.*libseer-core\.so\.0' "$scratch/files.txt" || die "the package lacks libseer-core"
if grep -E '^\./usr/etc/|^\./usr/local/' "$scratch/files.txt"; then
  die "files outside /usr and /etc"
fi

root=$scratch/root
dpkg-deb -x "$deb" "$root"
unit=$root/usr/lib/systemd/system/seer.service
for line in 'ExecStart=/usr/bin/seer run --config /etc/seer/seer.yaml' 'User=seer' \
  'SupplementaryGroups=video' 'EnvironmentFile=-/etc/default/seer' 'ProtectSystem=strict'; do
  grep -qxF "$line" "$unit" || die "seer.service lacks '$line'"
done
say "control, conffiles, files and unit: ok"

# ---- its seer with the shipped configuration ------------------------------------------------
export SEER_HTTP_PORT=0  # the shipped seer.yaml reads it
start_seer "$root/usr/bin/seer" "$root/etc/seer/seer.yaml" "$scratch/seer.log"
http_port=$(listening_port "$scratch/seer.log" http)
expect_answer "http://127.0.0.1:$http_port/api/version" '"version"'
grep -q "seer-plugin-http.so" <(env -u SEER_PLUGIN_PATH "$root/usr/bin/seer" plugins) ||
  die "the unpacked seer does not list its plugins"
[[ $(env -u SEER_PLUGIN_PATH "$root/usr/bin/seer" plugins) == *"$root/usr/lib/seer/plugins"* ]] ||
  die "the unpacked seer does not look beside itself for plugins"
stop_seer "$scratch/seer.log"
say "passed"
