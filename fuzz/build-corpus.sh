#!/usr/bin/env bash
# Builds the fuzzing corpora in fuzz/corpus/<target>/ (git-ignored) from:
#   - fuzz/seeds/<target>/        small seeds written for the fuzzers (committed)
#   - fuzz/regressions/<target>/  every saved crash or slow input (committed)
#   - the repository's fixtures   crates/*/tests/fixtures, examples/, codebooks/
#   - ../shared/corpora, ../shared/refi-qda   real data, copied at run time only, never
#                                 committed (skipped with a notice when absent)
# The structure-aware targets (docx_xml, odt_xml, xlsx_xml) get the XML parts
# of every .docx, .odt and .xlsx found, joined with 0xFF bytes as the target
# expects (see fuzz/src/ingest.rs).
#
# Usage: fuzz/build-corpus.sh [TARGET...]   (default: every target)
# Needs: bash, coreutils, find, unzip (for the *_xml targets).
set -euo pipefail
fuzz="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$fuzz")"
shared="${VOCES_SHARED:-$root/../shared}"

# Text seeds are cut to this many bytes, and larger zip files are left out:
# small inputs keep the fuzzers fast; the limits have their own tests.
max_text=65536
max_zip=1048576

all_targets=(text docx docx_xml odt odt_xml vtt srt chat csv workbook xlsx_xml codebook qdpx qde refi_align)
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=("${all_targets[@]}")

sources=("$root/crates" "$root/examples" "$root/codebooks" "$root/tests/fixtures")
if [ -d "$shared" ]; then
    sources+=("$shared/corpora" "$shared/refi-qda")
else
    echo "notice: $shared not found; building the corpora from the repository alone" >&2
fi

# Files under the sources whose names end in one of the given extensions.
files() {
    local args=() ext
    for ext in "$@"; do
        args+=(-o -iname "*.$ext")
    done
    find "${sources[@]}" -type f \( -false "${args[@]}" \) \
        -not -path '*/target/*' -not -path '*/.voces/*' -print0 2>/dev/null
}

# Adds stdin to the corpus of target $1, named by its hash.
add() {
    local tmp sum
    tmp="$(mktemp)"
    cat >"$tmp"
    if [ -s "$tmp" ]; then
        sum="$(sha1sum "$tmp" | cut -c1-40)"
        mv "$tmp" "$fuzz/corpus/$1/$sum"
    else
        rm -f "$tmp"
    fi
}

# Seeds of a target that reads whole files: text files cut, zips whole;
# for `align`, text after the 8 bytes of a selection (4 to 48).
add_files() {
    local target="$1" kind="$2" file
    shift 2
    while IFS= read -r -d '' file; do
        if [ "$kind" = align ]; then
            { printf '\x04\x00\x00\x00\x30\x00\x00\x00'; head -c "$max_text" "$file" || true; } | add "$target"
        elif [ "$kind" = zip ]; then
            [ "$(stat -c %s "$file")" -le "$max_zip" ] && add "$target" <"$file"
        else
            { head -c "$max_text" "$file" || true; } | add "$target"
        fi
    done < <(files "$@")
}

# Seeds of a structure-aware target: the named parts of each zip, joined
# with 0xFF; a missing part ends the list.
add_parts() {
    local target="$1" ext="$2" file part first
    shift 2
    command -v unzip >/dev/null || {
        echo "notice: unzip not found; $target gets only its own seeds" >&2
        return 0
    }
    while IFS= read -r -d '' file; do
        [ "$(stat -c %s "$file")" -le "$max_zip" ] || continue
        unzip -l "$file" "$1" >/dev/null 2>&1 || continue
        {
            first=1
            for part in "$@"; do
                unzip -l "$file" "$part" >/dev/null 2>&1 || break
                [ $first -eq 1 ] || printf '\xff'
                { unzip -p "$file" "$part" || true; } | head -c "$max_text" || true
                first=0
            done
        } | add "$target"
    done < <(files "$ext")
}

for target in "${targets[@]}"; do
    mkdir -p "$fuzz/corpus/$target"
    for dir in "$fuzz/seeds/$target" "$fuzz/regressions/$target"; do
        [ -d "$dir" ] && find "$dir" -type f -print0 | while IFS= read -r -d '' f; do
            add "$target" <"$f"
        done
    done
    case "$target" in
    text) add_files text text txt md markdown text ;;
    docx) add_files docx zip docx ;;
    odt) add_files odt zip odt ods ;;
    vtt) add_files vtt text vtt srt ;;
    srt) add_files srt text srt vtt ;;
    chat) add_files chat text cha ;;
    csv) add_files csv text csv tsv ;;
    workbook) add_files workbook zip xlsx xlsm xls ods ;;
    codebook) add_files codebook text toml ;;
    qdpx) add_files qdpx zip qdpx ;;
    qde)
        add_files qde text qde qdc
        add_parts qde qdpx project.qde
        ;;
    refi_align) add_files refi_align align txt ;;
    docx_xml) add_parts docx_xml docx word/document.xml docProps/core.xml _rels/.rels ;;
    odt_xml) add_parts odt_xml odt content.xml styles.xml meta.xml ;;
    xlsx_xml)
        add_parts xlsx_xml xlsx xl/worksheets/sheet1.xml xl/sharedStrings.xml xl/styles.xml xl/workbook.xml
        ;;
    *)
        echo "unknown target $target" >&2
        exit 2
        ;;
    esac
    echo "$target: $(find "$fuzz/corpus/$target" -type f | wc -l) seeds"
done
