#!/usr/bin/env bash
# Recognizer overhead: `earshot transcribe` against `pocketsphinx_continuous`
# on the same files, in the same run, with the same model. Prints both times
# (best of 3 runs each, whole process: model load + decode) and the ratio.
#
#   bench/transcribe_bench.sh [FILES...]   (default: pocketsphinx-testdata's LibriVox clips)
set -euo pipefail
cd "$(dirname "$0")/.."
EARSHOT=${EARSHOT:-build/bin/earshot}
MODEL=/usr/share/pocketsphinx/model/en-us
if [ $# -eq 0 ]; then set -- /usr/share/pocketsphinx/test/data/librivox/*.wav; fi

. bench/best_of.sh

total_e=0; total_p=0
printf "%-55s %10s %10s\n" "file" "earshot s" "ps_cont s"
for f in "$@"; do
  e=$(best_of_3 "$EARSHOT" transcribe "$f")
  p=$(best_of_3 pocketsphinx_continuous -infile "$f" -hmm "$MODEL/en-us" -lm "$MODEL/en-us.lm.bin" \
        -dict "$MODEL/cmudict-en-us.dict" -time yes -logfn /dev/null)
  printf "%-55s %10.3f %10.3f\n" "$(basename "$f")" "$e" "$p"
  total_e=$(echo "$total_e + $e" | bc -l); total_p=$(echo "$total_p + $p" | bc -l)
done
printf "%-55s %10.3f %10.3f\n" "total" "$total_e" "$total_p"
printf "ratio earshot / pocketsphinx_continuous: %.3f (target <= 1.10)\n" "$(echo "$total_e / $total_p" | bc -l)"
