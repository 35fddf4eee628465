# Installation and the Debian package: `cmake --build build --target package`
# makes build/earshot_<version>_<arch>.deb with the binary (stripped), a
# systemd unit that runs it as the system user earshot with systemd's
# hardening, /etc/earshot/earshot.conf (a conffile) and man pages made from
# the CLI's own --help by help2man. tests/package/deb_test.sh checks it.

# Man pages: earshot(1) and one per subcommand, earshot-serve(1) and so on.
# Each subcommand with its one-line summary (as `earshot --help` lists them).
set(EARSHOT_MAN_COMMANDS
    "serve|serve the HTTP API"
    "worker|run de-identification jobs"
    "stream|manage product streams"
    "token|mint subject tokens"
    "consent|record consent for an account"
    "policy|review policy: pause and resume regions"
    "sweep|apply retention now and remove orphan blobs"
    "audit|verify and anchor the tamper-evident audit log"
    "ingest|import audio files for an account"
    "demo|create demo data and serve it"
    "redact-text|mask spoken-form personal data in text"
    "transcribe|print the words of an audio file with times"
    "deid|run the de-identification chain on one file"
    "anonymize|anonymize the voice in one audio file"
    "user|staff accounts (password and TOTP sign-in)")
set(EARSHOT_MAN_DIR ${CMAKE_BINARY_DIR}/man)
set(EARSHOT_MAN_PAGES ${EARSHOT_MAN_DIR}/earshot.1.gz)
add_custom_command(
  OUTPUT ${EARSHOT_MAN_DIR}/earshot.1.gz
  COMMAND ${CMAKE_COMMAND} -E make_directory ${EARSHOT_MAN_DIR}
  COMMAND help2man --no-info --version-string=${PROJECT_VERSION}
          "--name=human review of voice recordings that protects the people recorded"
          --output=${EARSHOT_MAN_DIR}/earshot.1 $<TARGET_FILE:earshot>
  COMMAND gzip -9nf ${EARSHOT_MAN_DIR}/earshot.1
  DEPENDS earshot
  COMMENT "man page earshot(1)"
  VERBATIM)
foreach(entry IN LISTS EARSHOT_MAN_COMMANDS)
  string(REPLACE "|" ";" parts "${entry}")
  list(GET parts 0 command)
  list(GET parts 1 summary)
  string(TOUPPER "earshot-${command}" title)
  set(page ${EARSHOT_MAN_DIR}/earshot-${command}.1)
  add_custom_command(
    OUTPUT ${page}.gz
    COMMAND ${CMAKE_COMMAND} -E make_directory ${EARSHOT_MAN_DIR}
    # help2man runs the quoted command with --help, as a shell would.
    COMMAND help2man --no-info --no-discard-stderr --version-string=${PROJECT_VERSION}
            "--name=${summary}" --output=${page} "$<TARGET_FILE:earshot> ${command}"
    # help2man titles every page after the binary; each page its own title.
    COMMAND sed -i -e "s/^\\.TH EARSHOT /.TH ${title} /"
            -e "s/^earshot ${command} \\\\-/earshot-${command} \\\\-/" ${page}
    COMMAND gzip -9nf ${page}
    DEPENDS earshot
    COMMENT "man page earshot-${command}(1)"
    VERBATIM)
  list(APPEND EARSHOT_MAN_PAGES ${page}.gz)
endforeach()
add_custom_target(man ALL DEPENDS ${EARSHOT_MAN_PAGES})

install(TARGETS earshot RUNTIME DESTINATION bin)
install(FILES ${EARSHOT_MAN_PAGES} DESTINATION share/man/man1)
install(FILES packaging/earshot.service DESTINATION lib/systemd/system)
install(FILES packaging/earshot.conf DESTINATION /etc/earshot)
install(FILES README.md docs/operations.md docs/security.md DESTINATION share/doc/earshot)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME earshot)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "human review of voice recordings that protects the people recorded")
set(CPACK_PACKAGE_DESCRIPTION
    "earshot takes consented voice recordings, discards accidental activations, bleeps spoken personal data, anonymizes the voice and serves short clips to reviewers under audit, with a privacy dashboard for the people recorded.")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "earshot maintainers <earshot@localhost>")
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# The recognizer's models are data, not libraries: shlibdeps cannot see them.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser, pocketsphinx-en-us")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${CMAKE_SOURCE_DIR}/packaging/postinst ${CMAKE_SOURCE_DIR}/packaging/postrm
    ${CMAKE_SOURCE_DIR}/packaging/conffiles)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
