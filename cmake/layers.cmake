# The core as one static library per layer, linked in the direction of
# DESIGN.md ("Dependencies point down"; issue 14):
#
#   cli ─▶ http ─▶ domain ─▶ store, crypto, asr, privacy, audio ─▶ util
#                  (app, audit, ingest, pipeline, review, rights, staff)
#
# Each layer names the layers it uses directly and the system libraries it
# links; nothing else (a layer that calls util/ names util, even when a layer
# it names does too). Two checks hold the graph:
# - a link check per layer (earshot_<layer>_layer_check): the layer's whole
#   archive linked into a shared object with -Wl,--no-undefined against only
#   what it names. A call from privacy/ into store/, or from anything but
#   store/ into libpq, is a link error in every build.
# - Layers.IncludesPointDown (tests/layers/check_includes.cmake): every
#   #include "folder/..." under src/ names a folder of its own layer or of a
#   layer it names, which also catches a header-only use the linker cannot
#   see (http/ reaches storage only through the domain).
#
# The domain folders call one another (a recording's erasure withdraws its
# review tasks; intake queues pipeline jobs) and share app/context.h, so they
# are one layer; below it, no folder knows another of its rank.

set(EARSHOT_LAYERS "")

# earshot_layer(NAME FOLDERS f... USES layer... LINKS system-lib...
#               [INCLUDES dir...] SOURCES file...)
function(earshot_layer name)
  cmake_parse_arguments(L "" "" "FOLDERS;USES;LINKS;INCLUDES;SOURCES" ${ARGN})
  set(target earshot_${name})
  add_library(${target} STATIC ${L_SOURCES})
  target_include_directories(${target} PUBLIC ${CMAKE_SOURCE_DIR}/src)
  if(L_INCLUDES)
    target_include_directories(${target} PRIVATE ${L_INCLUDES})
  endif()
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wno-unused-parameter)
  # Position-independent, so that the link check below can put the archive
  # into a shared object.
  set_target_properties(${target} PROPERTIES POSITION_INDEPENDENT_CODE ON)
  set(uses "")
  foreach(layer IN LISTS L_USES)
    list(APPEND uses earshot_${layer})
  endforeach()
  target_link_libraries(${target} PUBLIC ${uses} ${L_LINKS})

  # The sanitizer runtimes resolve their symbols in the executable, so a
  # shared object of instrumented code always has undefined ones: the check
  # runs in the plain build, which every CI run makes first.
  if(NOT EARSHOT_SANITIZE AND NOT EARSHOT_FUZZ)
    # The archive whole, then the check objects of the layers it names and
    # its own libraries, nothing else: a symbol of a layer further down, or a
    # library another layer links (libpq, say), is not on this command line.
    # (Since binutils 2.22 ld resolves no symbol through a DSO's own
    # dependencies.)
    add_library(${target}_layer_check SHARED ${CMAKE_SOURCE_DIR}/cmake/layer_check.cc)
    add_dependencies(${target}_layer_check ${target})
    set(checks "")
    foreach(layer IN LISTS L_USES)
      list(APPEND checks earshot_${layer}_layer_check)
    endforeach()
    target_link_options(${target}_layer_check PRIVATE "LINKER:--no-undefined"
      "LINKER:--whole-archive" "$<TARGET_FILE:${target}>" "LINKER:--no-whole-archive")
    target_link_libraries(${target}_layer_check PRIVATE ${checks} ${L_LINKS})
    # (LINK_DEPENDS: relinked whenever the archive changes.)
    set_target_properties(${target}_layer_check PROPERTIES
      LIBRARY_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/layer_check
      LINK_DEPENDS $<TARGET_FILE:${target}>)
  endif()

  # What the include check needs: each folder's layer and each layer's uses.
  set(EARSHOT_LAYERS ${EARSHOT_LAYERS} ${name} PARENT_SCOPE)
  set(EARSHOT_LAYER_${name}_FOLDERS ${L_FOLDERS} PARENT_SCOPE)
  set(EARSHOT_LAYER_${name}_USES ${L_USES} PARENT_SCOPE)
endfunction()

earshot_layer(util FOLDERS util
  LINKS PkgConfig::SODIUM nlohmann_json::nlohmann_json Threads::Threads
  SOURCES
    src/util/status.cc
    src/util/clock.cc
    src/util/random.cc
    src/util/encoding.cc
    src/util/log.cc
    src/util/fs.cc
    src/util/metrics.cc
    src/util/json_limits.cc
    src/util/json_writer.cc
    src/util/byte_range.cc
    src/util/rate_limiter.cc
    src/util/subprocess.cc
    src/util/word_errors.cc
    src/util/word_vote.cc
    src/util/agreement_stats.cc)

earshot_layer(audio FOLDERS audio USES util
  LINKS PkgConfig::SNDFILE PkgConfig::SOXR
  SOURCES src/audio/decode.cc src/audio/bleep.cc src/audio/peaks.cc src/audio/fft.cc)

earshot_layer(asr FOLDERS asr USES audio util
  LINKS ${POCKETSPHINX_LIBRARIES} INCLUDES ${POCKETSPHINX_INCLUDES}
  SOURCES src/asr/pocketsphinx.cc)

earshot_layer(privacy FOLDERS privacy USES audio util
  LINKS ${PHONENUMBER_LIB} INCLUDES ${PHONENUMBER_INCLUDE}
  SOURCES
    src/privacy/pii/spoken_numbers.cc
    src/privacy/pii/gazetteer.cc
    src/privacy/pii/gazetteer_names.cc
    src/privacy/pii/pii.cc
    src/privacy/pii/detect_contacts.cc
    src/privacy/pii/detect_dates.cc
    src/privacy/pii/detect_numbers.cc
    src/privacy/pii/detect_names.cc
    src/privacy/pii/known_identifiers.cc
    src/privacy/pii/capture_time.cc
    src/privacy/pii/id_tokens.cc
    src/privacy/pii/redact_line.cc
    src/privacy/anonymize/lpc.cc
    src/privacy/anonymize/mcadams.cc
    src/privacy/anonymize/anonymizer.cc
    src/privacy/watermark/conv_code.cc
    src/privacy/watermark/watermark.cc)

earshot_layer(crypto FOLDERS crypto USES util
  LINKS PkgConfig::SODIUM
  SOURCES src/crypto/seal.cc src/crypto/clip_keys.cc src/crypto/keyring.cc src/crypto/password.cc)

# The only layer that links a database client.
earshot_layer(store FOLDERS store USES util
  LINKS PkgConfig::SQLITE PkgConfig::PQ
  SOURCES
    src/store/db.cc
    src/store/sqlite_db.cc
    src/store/pg_db.cc
    src/store/claim.cc
    src/store/open.cc
    src/store/db_blob_store.cc
    src/store/table_copy.cc
    src/store/migrations.cc
    src/store/blob_store.cc)

# OpenSSL: HMAC-SHA1 for TOTP (RFC 6238; staff/totp.cc).
earshot_layer(domain
  FOLDERS app audit ingest pipeline review rights staff
  USES store crypto asr privacy audio util
  LINKS OpenSSL::Crypto PkgConfig::QRENCODE PkgConfig::LIBARCHIVE
  SOURCES
    src/app/context.cc
    src/audit/audit_log.cc
    src/audit/chain_state.cc
    src/audit/anchor.cc
    src/audit/verify_report.cc
    src/rights/subjects.cc
    src/rights/subject_tokens.cc
    src/rights/subject_data.cc
    src/rights/what_was_heard.cc
    src/rights/export_html.cc
    src/rights/recording_access.cc
    src/rights/erasure.cc
    src/rights/retention.cc
    src/rights/archive_stream.cc
    src/rights/export.cc
    src/rights/vault_check.cc
    src/ingest/region_codes.cc
    src/ingest/streams.cc
    src/ingest/metadata.cc
    src/ingest/sampler.cc
    src/ingest/intake.cc
    src/ingest/wake_gate.cc
    src/pipeline/jobs.cc
    src/pipeline/stages.cc
    src/pipeline/deid_chain.cc
    src/pipeline/worker.cc
    src/review/queue.cc
    src/review/agreement.cc
    src/review/consensus.cc
    src/review/double_review.cc
    src/review/escalation.cc
    src/review/gold.cc
    src/review/servable.cc
    src/review/plays.cc
    src/review/product_quality.cc
    src/review/training_export.cc
    src/review/trace.cc
    src/review/workload.cc
    src/review/quality.cc
    src/staff/staff.cc
    src/staff/totp.cc
    src/staff/accounts.cc
    src/staff/account_admin.cc
    src/staff/qr.cc)

# OpenSSL: tls.cc checks the certificate and key before libmicrohttpd gets them.
earshot_layer(http FOLDERS http USES domain crypto audio util
  LINKS PkgConfig::MHD OpenSSL::Crypto
  SOURCES
    ${EARSHOT_WEB_ASSETS_CC}
    src/http/web_assets.cc
    src/http/reply.cc
    src/http/cookies.cc
    src/http/request.cc
    src/http/multipart.cc
    src/http/routes.cc
    src/http/server.cc
    src/http/request_log.cc
    src/http/tls.cc
    src/http/openapi.cc
    src/http/openapi_routes.cc
    src/http/handlers_product.cc
    src/http/handlers_review.cc
    src/http/handlers_escalation.cc
    src/http/handlers_staff.cc
    src/http/handlers_subject.cc
    src/http/handlers_console.cc
    src/http/handlers_web.cc)

# Synthetic speech (flite) for the demo and for tests; not on the review path.
earshot_layer(synth FOLDERS synth USES audio util
  LINKS flite_cmu_us_slt flite_cmu_us_rms flite_cmu_us_awb flite_cmu_us_kal
        flite_usenglish flite_cmulex flite m
  SOURCES src/synth/flite_voice.cc)

# Everything below cli/, for the tests, benchmarks and fuzzers.
add_library(earshot_core INTERFACE)
target_link_libraries(earshot_core INTERFACE earshot_http)

# The rules the include check reads: for each folder, the folders of its
# own layer and of the layers it names (the same graph the link checks hold;
# cli/ may include anything).
set(EARSHOT_LAYER_RULES ${CMAKE_BINARY_DIR}/layer_rules.cmake)
set(rules "# Written by cmake/layers.cmake; read by tests/layers/check_includes.cmake.\n")
set(all_folders "")
foreach(layer IN LISTS EARSHOT_LAYERS)
  set(allowed "")
  foreach(r IN LISTS layer EARSHOT_LAYER_${layer}_USES)
    list(APPEND allowed ${EARSHOT_LAYER_${r}_FOLDERS})
  endforeach()
  foreach(folder IN LISTS EARSHOT_LAYER_${layer}_FOLDERS)
    string(APPEND rules "set(ALLOWED_${folder} ${allowed})\n")
    list(APPEND all_folders ${folder})
  endforeach()
endforeach()
string(APPEND rules "set(LAYERED_FOLDERS ${all_folders})\n")
file(WRITE ${EARSHOT_LAYER_RULES} "${rules}")
