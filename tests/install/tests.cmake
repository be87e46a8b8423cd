# The install and the Debian package, end to end (tests/install/*.sh). They install from the
# whole build folder, so they run after it is built, and one at a time.
add_test(NAME install.out-of-tree-plugin
  COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/install_test.sh ${CMAKE_BINARY_DIR} ${CMAKE_SOURCE_DIR})
add_test(NAME install.debian-package
  COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/deb_test.sh ${CMAKE_BINARY_DIR})
set_tests_properties(install.out-of-tree-plugin install.debian-package PROPERTIES
  RESOURCE_LOCK seer-install-tree
  TIMEOUT 600)
