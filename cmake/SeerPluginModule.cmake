# seer_plugin_module(TARGET): the properties every plugin module needs, shared by the plugins
# built in this tree (plugins/CMakeLists.txt) and those built against the installed SDK
# (seerConfig.cmake's seer_add_plugin).
function(seer_plugin_module target)
  set_target_properties(${target} PROPERTIES
    PREFIX ""
    OUTPUT_NAME ${target}
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  # GNU unique symbols would pin the library in memory and defeat unloading.
  target_compile_options(${target} PRIVATE -fno-gnu-unique)
endfunction()
