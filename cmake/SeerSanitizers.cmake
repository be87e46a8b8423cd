# -DSEER_SANITIZE=address,undefined instruments every target of the build.
if(SEER_SANITIZE)
  add_compile_options(-fsanitize=${SEER_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${SEER_SANITIZE})
endif()
