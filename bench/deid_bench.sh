#!/usr/bin/env bash
# De-identification's cost: `earshot deid` (recognizer, digit listener with
# its phone loop, bleeping, and the McAdams anonymizer; then the same with
# --no-anonymize) against a bare `pocketsphinx_continuous` run on the same
# 10 s file, in the same run, with the same model. Best of 3 runs each, whole
# process (model load + work). Target (issue 12): at most 1.5x.
#
#   bench/deid_bench.sh [FILE]   (default: two LibriVox clips of pocketsphinx-testdata joined, 10 s)
set -euo pipefail
cd "$(dirname "$0")/.."
EARSHOT=${EARSHOT:-build/bin/earshot}
MODEL=/usr/share/pocketsphinx/model/en-us
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ $# -ge 1 ]; then
  file=$1
else
  lv=/usr/share/pocketsphinx/test/data/librivox
  file=$work/clip10s.wav
  sox "$lv/sense_and_sensibility_01_austen_64kb-0870.wav" \
      "$lv/sense_and_sensibility_01_austen_64kb-0880.wav" "$file" trim 0 10
fi

. bench/best_of.sh

p=$(best_of_3 pocketsphinx_continuous -infile "$file" -hmm "$MODEL/en-us" -lm "$MODEL/en-us.lm.bin" \
      -dict "$MODEL/cmudict-en-us.dict" -logfn /dev/null)
d=$(best_of_3 "$EARSHOT" deid "$file" "$work/out.wav")
n=$(best_of_3 "$EARSHOT" deid --no-anonymize "$file" "$work/out.wav")
printf "file: %s (%s s)\n" "$(basename "$file")" "$(soxi -D "$file")"
printf "%-40s %8.3f s\n" "pocketsphinx_continuous" "$p" "earshot deid" "$d" \
  "earshot deid --no-anonymize" "$n"
printf "ratio earshot deid / pocketsphinx_continuous: %.2f (--no-anonymize %.2f; target <= 1.5)\n" \
  "$(echo "$d / $p" | bc -l)" "$(echo "$n / $p" | bc -l)"
