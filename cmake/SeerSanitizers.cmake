# -DSEER_SANITIZE=address,undefined instruments every target of the build.
if(SEER_SANITIZE)
  add_compile_options(-fsanitize=${SEER_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${SEER_SANITIZE})
endif()
# -DSEER_SANITIZE=thread: ThreadSanitizer does not model atomic_thread_fence (GCC refuses it
# with -Wtsan). Asio fences around handler invocations only; the scheduler's queue is guarded
# by a mutex, which TSan does see, so the fences add nothing it needs.
if(SEER_SANITIZE MATCHES "thread")
  add_compile_definitions(BOOST_ASIO_DISABLE_FENCED_BLOCK)
endif()
