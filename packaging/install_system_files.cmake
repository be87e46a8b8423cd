# Installs what lies outside the prefix's bin/lib/include: the configuration (/etc/seer), the
# service's environment file (/etc/default/seer) and the systemd unit. Run at install time so
# that it follows the prefix of this install (cmake --install --prefix P, CPack's /usr) rather
# than the one configured: GNU's rule puts the configuration of a /usr install in /etc, that
# of any other prefix in PREFIX/etc.
# Set by packaging/CMakeLists.txt: SEER_SOURCE_DIR, SEER_PACKAGING_BINARY_DIR, SEER_INSTALL_BINDIR,
# SEER_INSTALL_DOCDIR.
if(CMAKE_INSTALL_PREFIX STREQUAL "/usr")
  set(etc_dir "/etc")
else()
  set(etc_dir "${CMAKE_INSTALL_PREFIX}/etc")
endif()
set(SEER_CONFIG_DIR "${etc_dir}/seer")
set(SEER_DEFAULTS_FILE "${etc_dir}/default/seer")
set(SEER_BINARY "${CMAKE_INSTALL_PREFIX}/${SEER_INSTALL_BINDIR}/seer")
set(SEER_DOC_DIR "${CMAKE_INSTALL_PREFIX}/${SEER_INSTALL_DOCDIR}")

file(INSTALL DESTINATION "${SEER_CONFIG_DIR}" TYPE FILE FILES "${SEER_SOURCE_DIR}/configs/seer.yaml")
# The README's Sophia, with her agents beside it as configs/ has them.
file(INSTALL DESTINATION "${SEER_CONFIG_DIR}" TYPE FILE RENAME sophia.yaml
  FILES "${SEER_SOURCE_DIR}/configs/default.yaml")
file(INSTALL DESTINATION "${SEER_CONFIG_DIR}" TYPE DIRECTORY FILES "${SEER_SOURCE_DIR}/configs/agents")
file(INSTALL DESTINATION "${etc_dir}/default" TYPE FILE RENAME seer
  FILES "${SEER_SOURCE_DIR}/packaging/seer.default")

configure_file("${SEER_SOURCE_DIR}/packaging/seer.service.in"
  "${SEER_PACKAGING_BINARY_DIR}/seer.service" @ONLY)
file(INSTALL DESTINATION "${CMAKE_INSTALL_PREFIX}/lib/systemd/system" TYPE FILE
  FILES "${SEER_PACKAGING_BINARY_DIR}/seer.service")
