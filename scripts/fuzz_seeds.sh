#!/usr/bin/env bash
# Writes the seed corpus of every fuzzer (tests/fuzz) into OUT/<target>/
# (default build-san/corpus). Deterministic: the same files on every run
# (sox without dither and with its fixed random seed, opusenc with a fixed
# serial); never committed. Needs sox, lame and opusenc (scripts/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-build-san/corpus}
rm -rf "$OUT"
mkdir -p "$OUT"

# seed TARGET NAME: stdin becomes OUT/TARGET/NAME.
seed() {
  mkdir -p "$OUT/$1"
  cat >"$OUT/$1/$2"
}
# lines TARGET PREFIX: each stdin line becomes one seed file.
lines() {
  local i=0 line
  while IFS= read -r line; do
    printf '%s' "$line" | seed "$1" "$2-$i"
    i=$((i + 1))
  done
}

# --- spoken and written PII (pii_fuzz, redact_line_fuzz) ----------------------
SENTENCES='call my sister at five five five one two three four
my number is two one two five five five oh one nine nine
dial double seven oh five five five one two one two
my phone number is two one two five five five the one nine nine
text 415-555-0199 please
my card is four one one one one one one one one one one one one one one one
pay with 4111111111111111
my social security number is one two three four five six seven eight nine
ssn 123-45-6789
my pin is four four two one
navigate to twelve forty five oak street apartment three
send it to 221 baker street london
i live at one two three main avenue springfield nine oh two one oh
email j o h n dot smith at gmail dot com
my email is anna at example dot org
write to john.smith@example.com now
open w w w dot example dot com
go to mybank dot co dot uk slash login
my name is anna
hi this is john smith calling
tell sarah i am late
call doctor patel
i was born on the fourth of july nineteen eighty
my date of birth is march twenty first two thousand five
born 12/03/1984
one eight hundred five five five
twelve forty five
nineteen eighty
two thousand five
press one and two
order ord-99812 shipped to 192.168.1.1
serial sn 1234 ab and code x y z one two three
the device sierra november twelve thirty four alpha bravo
it was two oh five p m on november third twenty twenty six
meet at 14:05 on 2026-11-03 or 3 Nov 2026
set a timer for 5 minutes at 2:05pm
what is the weather like tomorrow'
printf '%s\n' "$SENTENCES" | lines pii_fuzz s
printf '%s\n' "$SENTENCES" | lines redact_line_fuzz s
# With known identifiers: text, then account, serial (FuzzedDataProvider
# strings end at a backslash and another byte), then the capture time.
printf 'my account is acct 7781 and serial SN-1234-AB\\xacct-7781\\xSN-1234-AB\\x\x01\x00\x00\x01\x9a\x4e\x2b\x1c\x00\x00' |
  seed pii_fuzz known-0
printf 'recorded at two oh five p m november third\\xuser42\\xdev-0099\\x\x01\x00\x3c\x00\x00\x01\x9a\x4e\x2b\x1c\x00\x00' |
  seed pii_fuzz known-1
printf 'bad \xff\xfe utf-8 five five five one two three four' | seed redact_line_fuzz invalid-utf8
printf 'tab\tseparated\x0bwords\x0cand "quotes" \\ backslash \x01 control' | seed redact_line_fuzz escapes

# --- audio (audio_decode_fuzz): each container the product accepts -------------
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
SOX=(sox -R -D -V1)
"${SOX[@]}" -n -r 16000 -c 1 -b 16 "$tmp/canonical.wav" synth 0.2 sine 440
"${SOX[@]}" -n -r 44100 -c 2 -b 16 "$tmp/stereo44k.wav" synth 0.1 sine 300 sine 500
"${SOX[@]}" -n -r 8000 -c 1 -b 8 -e unsigned-integer "$tmp/u8.wav" synth 0.2 square 200
"${SOX[@]}" -n -r 22050 -c 1 -b 32 -e floating-point "$tmp/float.wav" synth 0.1 sine 1000
"${SOX[@]}" -n -r 48000 -c 1 -b 24 "$tmp/pcm24.wav" synth 0.05 sine 700
"${SOX[@]}" -n -r 8000 -c 1 -e u-law "$tmp/ulaw.wav" synth 0.2 sine 440
"${SOX[@]}" -n -r 16000 -c 1 -b 16 "$tmp/flac.flac" synth 0.2 sine 440
"${SOX[@]}" -n -r 16000 -c 1 "$tmp/vorbis.ogg" synth 0.2 sine 440
"${SOX[@]}" -n -r 16000 -c 1 -b 16 "$tmp/aiff.aiff" synth 0.1 sine 440
"${SOX[@]}" -n -r 16000 -c 1 -b 16 "$tmp/au.au" synth 0.1 sine 440
"${SOX[@]}" -n -r 16000 -c 1 -b 16 "$tmp/w64.w64" synth 0.1 sine 440
opusenc --quiet --serial 11 --bitrate 16 "$tmp/canonical.wav" "$tmp/opus.opus"
lame --quiet -b 32 "$tmp/stereo44k.wav" "$tmp/mp3.mp3"
for f in "$tmp"/*; do seed audio_decode_fuzz "$(basename "$f")" <"$f"; done
# A WAV cut short (its data chunk declares more than the file holds).
head -c 2000 "$tmp/canonical.wav" | seed audio_decode_fuzz truncated.wav
printf 'RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00\x01\x00\x80\x3e\x00\x00\x00\x7d\x00\x00\x02\x00\x10\x00data\x00\x00\x00\x00' |
  seed audio_decode_fuzz empty.wav

# --- metadata JSON (metadata_fuzz) ----------------------------------------------
META='{"account":"acct-1","device_serial":"SN-1","captured_at":"2026-11-21T10:00:00Z","locale":"en-US"}
{"account":"a","device_serial":"d","captured_at":"2026-11-21T10:00:00.123+02:00","locale":"en_GB","stream":"assistant-en-US"}
{"account":"a","device_serial":"d","captured_at":"2024-02-29T23:59:60-05:30","locale":"de-DE","hypothesis":{"text":"call five five five","words":[{"w":"call","start":0,"end":0.4},{"w":"five","start":0.5,"end":0.9}]}}
{"account":"a","device_serial":"d","captured_at":"2026-01-01t00:00:00z","locale":"fr","intent":{"name":"call","slots":{"n":[1,2.5,true,null]}}}
{"account":"a","device_serial":"d","captured_at":"2026-01-01T00:00:00Z","locale":"en","intent":"weather","hypothesis":{"text":"x","words":null}}
{"account":"\u00e9\u0000","device_serial":"d","captured_at":"1970-01-01T00:00:00Z","locale":"x"}
{"account":1,"device_serial":"d"}
[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]'
printf '%s\n' "$META" | lines metadata_fuzz m

# --- Range header (byte_range_fuzz): header, then body sizes at the end ---------
RANGES='bytes=0-99
bytes=100-
bytes=-500
bytes=0-0
bytes=999999999999999999-
bytes=5-2
bytes=0-1,2-3
items=0-1'
i=0
while IFS= read -r r; do
  printf '%s\x10\x00\x00\x00\x00\x00\x00\x01\x00\x02' "$r" | seed byte_range_fuzz "r-$i"
  i=$((i + 1))
done <<<"$RANGES"

# --- Cookie header (cookie_fuzz): the cookie name, then the header ---------------
printf 'earshot_session\\xearshot_session=ess_abc123; theme=dark' | seed cookie_fuzz c-0
printf '__Host-earshot_session\\x a=1;;  __Host-earshot_session=ess_x;__Host-earshot_session=second' |
  seed cookie_fuzz c-1
printf 'earshot_session\\xearshot_session_old=1; earshot_session=; earshot_session=late' |
  seed cookie_fuzz c-2

# --- multipart bodies (multipart_fuzz): the Content-Type, then the body -------
CRLF=$'\r\n'
mp_body() {  # a product's upload: metadata, then the audio field
  printf '%s' "--$1${CRLF}Content-Disposition: form-data; name=\"metadata\"${CRLF}"
  printf '%s' "Content-Type: application/json${CRLF}${CRLF}{\"account\":\"acct-1\"}${CRLF}"
  printf '%s' "--$1${CRLF}Content-Disposition: form-data; name=\"audio\"; filename=\"a.wav\"${CRLF}"
  printf '%s' "Content-Type: audio/wav${CRLF}${CRLF}RIFF\$\x00\x00\x00WAVEfmt ${CRLF}--$1--${CRLF}"
}
{ printf 'multipart/form-data; boundary=X-earshot-1\\x'; mp_body X-earshot-1; } | seed multipart_fuzz m-0
{ printf 'multipart/form-data; boundary="a b:c"\\x'; printf 'preamble%s' "$CRLF"; mp_body 'a b:c'; } |
  seed multipart_fuzz m-1
{ printf 'Multipart/Form-Data;charset=utf-8;boundary=--\\x'; mp_body --; printf 'epilogue'; } |
  seed multipart_fuzz m-2

# --- subject tokens (subject_token_fuzz): a token, then the mode and time ------
printf 'sjt_c3ViXzEyMzR8MTc2NzIyNTY2MDAwMA.00ff\x00\x00\x00\x00' | seed subject_token_fuzz raw-0
printf 'sjt_.\x00\x00\x00\x00' | seed subject_token_fuzz raw-1
printf 'sjt_!!!!.abc\x00\x10\x00\x00' | seed subject_token_fuzz raw-2
printf '\x00\x00\x01\x00\x10\x00\x00' | seed subject_token_fuzz minted-live
printf '\x05\x17\x02\x01\x00\x10\x00\x00' | seed subject_token_fuzz minted-edit
printf '\x00\x00\x02\x00\x10\x00\x00' | seed subject_token_fuzz minted-erased
printf '\x00\x00\x03\x00\x10\x00\x00' | seed subject_token_fuzz minted-other-tenant
printf '\x00\x00\x01\xff\xff\xff\xff' | seed subject_token_fuzz minted-expired

# --- TOTP codes and provisioning URIs (totp_fuzz) -------------------------------
printf '12345678901234567890\\x123456\\xanna\\xotpauth://totp/earshot:anna?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=earshot\x00\x00\x01\x9a\x4e\x2b\x1c\x00\x00\x00\x00\x00\x00\x03\x8e\x2d' |
  seed totp_fuzz t-0
printf 'k\\x000000\\xa b/c\\xotpauth://totp/x?secret=&issuer=earshot' | seed totp_fuzz t-1
printf 'secret\\x12a456\\x\\xotpauth://totp/x?issuer=a&secret=mzxw6ytboi' | seed totp_fuzz t-2

# --- dictionaries (libFuzzer -dict): the words and tokens the parsers know ------
# dict TARGET WORD...: OUT/TARGET.dict, one quoted token a line.
dict() {
  local target=$1
  shift
  printf '"%s"\n' "$@" >"$OUT/$target.dict"
}
PII_WORDS=(zero oh o one two three four five six seven eight nine ten eleven twelve
  thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty
  sixty seventy eighty ninety hundred thousand double triple first second third fourth
  twenty-first 4th 21st january february march april may june july august september
  october november december dot at slash dash underscore com org net uk co www http https
  @ . - : / street avenue road lane apartment apt suite number phone call dial card ssn
  pin social security born birth name is this my am p m a.m. pm o\'clock hours alpha
  bravo sierra november x-ray zulu 2026-11-03 14:05 2:05pm 555-1234 4111111111111111)
dict pii_fuzz "${PII_WORDS[@]}"
dict redact_line_fuzz "${PII_WORDS[@]}" '\xff' '\xc3\xa9' '\x00' '\x09'
dict metadata_fuzz account device_serial captured_at locale hypothesis text words w start \
  end intent stream null true false 2026-11-21T10:00:00Z +02:00 -05:30 .123 '\\u0000' \
  '\\ud83d\\ude00' 1e308 -0 '{' '}' '[' ']' ':' ','
dict byte_range_fuzz bytes= - , 0 999999999999999999 1000000000000000000
dict cookie_fuzz earshot_session __Host-earshot_session = '; ' ess_
dict multipart_fuzz multipart/form-data boundary= '\x0d\x0a' -- Content-Disposition: \
  form-data name= filename= Content-Type: '\"'
dict subject_token_fuzz sjt_ . '|' ==
dict totp_fuzz otpauth://totp/earshot: ?secret= '&issuer=earshot' '&' secret= 000000

for d in "$OUT"/*/; do
  echo "fuzz seeds: $(basename "$d"): $(ls "$d" | wc -l) files"
done
